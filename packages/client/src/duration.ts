const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

/**
 * Parses `90`, `90s`, `500ms`, `15m`, `1h`, `1d`, `2w` or `1h30m` into seconds.
 * A bare number is seconds. Throws on anything else.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new Error(`invalid duration ${input}`);
    return input;
  }
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new Error(`invalid duration "${input}" (use e.g. 30s, 15m, 1h, 1d)`);
  }
  return parts.reduce((sum, part) => sum + Number(part[1]) * UNIT_SECONDS[part[2] as keyof typeof UNIT_SECONDS], 0);
}

/** Seconds as the largest whole unit that fits: 3600 → `1h`, 90 → `90s`. */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
