#!/usr/bin/env node
/**
 * `node scripts/test-cpu.mjs [vitest arguments]`: runs `vitest run` and says
 * where the machine's CPU went while it ran, by kind of process: the test
 * workers, each type of Chromium process, the child processes tests start.
 *
 * The test run is CPU-bound on a small machine, so its wall time follows its
 * CPU; `time npm test` cannot say where that went, because Chromium's
 * processes are not waited for by the process that started them. This reads
 * every process's CPU from /proc four times a second (a process is counted up
 * to its last sample, so one that lives under 250 ms is missed) and the
 * machine's busy time from /proc/stat at both ends. Linux only.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 250;

/** What a process is, from its command line; null when it is gone. */
function kindOf(pid) {
  let command;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return null;
  }
  if (/chrom/.test(command)) return `chromium ${/--type=([\w-]+)/.exec(command)?.[1] ?? 'browser'}`;
  if (/vitest/.test(command)) return /forks|worker/.test(command) ? 'vitest worker' : 'vitest main';
  if (command === '') return 'kernel and unnamed';
  return command.slice(0, 90);
}

/** User and system CPU seconds of a process so far, and its start time (pids are reused). */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, started: fields[19] };
  } catch {
    return null;
  }
}

/** Seconds the machine's CPUs spent busy (user, nice, system, irq, softirq, steal), all of them together. */
function machineBusy() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** Per process (pid and start time): its kind, its CPU when first seen and when last seen. */
const processes = new Map();
function sample() {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cpu = cpuOf(pid);
    if (!cpu) continue;
    const key = `${pid}@${cpu.started}`;
    const known = processes.get(key);
    if (known) known.last = cpu.seconds;
    else {
      const kind = kindOf(pid);
      if (kind) processes.set(key, { kind, first: cpu.seconds, last: cpu.seconds });
    }
  }
}

sample();
// Processes already running count from here, new ones from zero.
const alreadyRunning = new Set(processes.keys());
const busyBefore = machineBusy();
const startedAt = performance.now();
const sampler = setInterval(sample, SAMPLE_MS);

const vitest = spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
vitest.on('exit', (code, signal) => {
  clearInterval(sampler);
  sample();
  const wall = (performance.now() - startedAt) / 1000;
  const busy = machineBusy() - busyBefore;
  const byKind = new Map();
  for (const [key, { kind, first, last }] of processes) {
    const used = last - (alreadyRunning.has(key) ? first : 0);
    byKind.set(kind, (byKind.get(kind) ?? 0) + used);
  }
  const rows = [...byKind].filter(([, seconds]) => seconds >= 0.5).sort((a, b) => b[1] - a[1]);
  console.log(`\nwall ${wall.toFixed(1)} s; the machine busy ${busy.toFixed(1)} s of CPU. By process (≥ 0.5 s):`);
  for (const [kind, seconds] of rows) console.log(`${seconds.toFixed(1).padStart(8)}  ${kind}`);
  process.exitCode = code ?? (signal ? 1 : 0);
});
