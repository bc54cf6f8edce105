import type { Check } from './api.js';
import type { DeclaredCheck } from './monitors-file.js';

/** A mistake of the file found against the server (a slug that names no check, a cycle): named by its line when known. */
export class DeclarationError extends Error {
  override readonly name = 'DeclarationError';
}

/** Which slugs a reference may name: the file's checks, and the server's unless `prune` deletes them. */
export function knownSlugs(declared: DeclaredCheck[], existing: Check[], prune: boolean) {
  const inFile = new Set(declared.map((check) => check.slug));
  const onServer = new Set(existing.flatMap((check) => (check.slug ? [check.slug] : [])));
  return {
    problem(slug: string): string | null {
      if (inFile.has(slug)) return null;
      if (!onServer.has(slug)) return `no check "${slug}" in this file or on the server`;
      return prune ? `check "${slug}" is not in this file, so --prune deletes it` : null;
    },
  };
}

/** A check's slug by its id, the id itself for a check without one. */
export function slugsById(existing: Check[]): (id: string) => string {
  const byId = new Map(existing.map((check) => [check.id, check.slug ?? check.id]));
  return (id) => byId.get(id) ?? id;
}

/** Equal as JSON values, whatever the order of their keys (`durationAnomaly`, a channel's headers are objects). */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, canonical(inner)]),
  );
}
