import type { FailedRun, Flip, FlipRuns } from '@cronbeat/contract';
import { type FlipRow, failedRunToJson, flipRunsFromJson } from '@cronbeat/db';
import { iso, isoOrNull } from '../../../schemas/common';

/** A flip's stored runs as the API shows them: read through core's shape, so only well-formed fields go out, with ISO times. */
function flipRunsView(stored: unknown): FlipRuns | null {
  const runs = flipRunsFromJson(stored);
  if (runs === null) return null;
  const { failures, ...counts } = runs;
  return { ...counts, ...(failures && { failures: failures.map((failure) => failedRunToJson(failure) as FailedRun) }) };
}

/**
 * A flip as the API shows it to the project's members and keys. Who
 * acknowledged it is an account's email (`acknowledgers`: user id → email,
 * from `acknowledgerEmails`); status pages never take this shape.
 */
export function flipView(flip: FlipRow, acknowledgers: ReadonlyMap<string, string>): Flip {
  return {
    id: flip.id,
    from: flip.fromStatus,
    to: flip.toStatus,
    reason: flip.reason,
    exitStatus: flip.exitStatus,
    at: iso(flip.createdAt),
    processedAt: isoOrNull(flip.processedAt),
    runs: flipRunsView(flip.runs),
    acknowledgedAt: isoOrNull(flip.acknowledgedAt),
    acknowledgedBy: (flip.acknowledgedBy && acknowledgers.get(flip.acknowledgedBy)) ?? null,
  };
}
