/**
 * CPU time used by the bench's processes, read from Linux's /proc, to show
 * what a request costs each side: throughput alone cannot tell a server
 * that needs less CPU per ping from a machine that was quieter during its
 * run. Elsewhere (no /proc) every reading is null and the bench prints none.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const hasProc = existsSync('/proc/self/stat');
const ticksPerSecond = hasProc ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) : 0;

/** User plus system CPU seconds process `pid` has used so far; null once it is gone. */
function processSeconds(pid: number): number | null {
  try {
    // The command name, field 2, is in parentheses and may hold spaces: count fields after its closing one.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime and stime, fields 14 and 15
  } catch {
    return null;
  }
}

const isPostgres = (pid: string): boolean => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
};

/** CPU use of each side of a run (seconds so far, or microseconds per ping); null where it cannot be read. */
export interface CpuReading {
  server: number | null;
  /** The load generator, which shares the machine's cores with the other two. */
  load: number | null;
  /** Every Postgres process on this machine; null when Postgres runs elsewhere. */
  postgres: number | null;
}

/** CPU seconds used so far by the server, by the load generator and by this machine's Postgres processes. */
export function cpuSeconds(pids: { server: number; load: number }): CpuReading {
  if (!hasProc) return { server: null, load: null, postgres: null };
  const postgresPids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && isPostgres(name));
  const postgres = postgresPids.reduce((sum, pid) => sum + (processSeconds(Number(pid)) ?? 0), 0);
  return { server: processSeconds(pids.server), load: processSeconds(pids.load), postgres: postgresPids.length > 0 ? postgres : null };
}
