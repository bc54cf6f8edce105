import { positionOf } from './yaml.js';

export type Path = ReadonlyArray<string | number>;

/** A mistake in one place of a monitors file: `path` leads to it, so the message can give its line. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly path: Path,
  ) {
    super(message);
  }
}

/** "line 7, column 24: <message>", like the YAML reader's own errors; the bare message when the place is unknown. */
export function placed(source: string, path: Path, message: string): string {
  const position = positionOf(source, path);
  return position ? `line ${position.line}, column ${position.column}: ${message}` : message;
}

/**
 * Where the references a declaration makes (slugs in `depends_on`, a
 * window's `checks`) are written. Whether a slug names a check is known only
 * against the server, after the file was read; sync asks here so its error
 * still names the line. Computed on demand: finding a place parses the
 * source again.
 */
const places = new WeakMap<object, Map<string, () => string>>();

export function notePlace(owner: object, key: string, describe: () => string): void {
  const byKey = places.get(owner) ?? new Map<string, () => string>();
  places.set(owner, byKey);
  byKey.set(key, describe);
}

/** "line 9, column 7: checks[1] (report).depends_on[0]", or `fallback` for a declaration not read from a file. */
export function placeOf(owner: object, key: string, fallback: string): string {
  return places.get(owner)?.get(key)?.() ?? fallback;
}
