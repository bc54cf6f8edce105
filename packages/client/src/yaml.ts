/**
 * YAML 1.2 for monitors files, read by the `yaml` package: block and flow
 * collections over any number of lines, every scalar style (plain, quoted,
 * `|` and `>`), comments, anchors, aliases and `<<` merge keys. The published
 * client bundles it (see scripts/build.mjs), so it still installs with no
 * dependencies. Errors carry yaml's line and column, with a hint for the
 * mistakes people make in cron files.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit, type YAMLError } from 'yaml';

export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

export class YamlError extends Error {
  override readonly name = 'YamlError';
  constructor(
    message: string,
    /** 1-based; absent when the problem belongs to no one place (too many aliases). */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? message : `line ${line}, column ${column}: ${message}`);
  }
}

const PARSE_OPTIONS = {
  // A monitors file's keys are field names: `? [a, b]` or `1: x` keys are mistakes, not data.
  stringKeys: true,
  uniqueKeys: true,
  // `<<: *defaults` is how people share settings between checks.
  merge: true,
  // No YAML 1.1 extras (!!binary, !!set, !!timestamp…): their values would not be plain data.
  resolveKnownTags: false,
  prettyErrors: false,
  // Warnings become errors below; nothing should print on the process's stderr by itself.
  logLevel: 'error',
} as const;

/** Room for a thousand checks each merging a few anchors, while a billion-laughs file is refused. */
const MAX_ALIAS_EXPANSIONS = 10_000;

/** Parses one YAML 1.2 document into plain data; throws a YamlError at the first problem. */
export function parseYaml(source: string): YamlValue {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { ...PARSE_OPTIONS, lineCounter });
  // The first problem explains the rest, which are often its echoes.
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw fromYamlProblem(problem, lineCounter);
  const alias = unresolvedAlias(document);
  if (alias) {
    const { line, col } = lineCounter.linePos(alias.offset);
    throw new YamlError(`alias "*${alias.name}" names no anchor above it${QUOTE_HINT}`, line, col);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) as YamlValue;
  } catch {
    throw new YamlError(`aliases expand to too much data (more than ${MAX_ALIAS_EXPANSIONS} copies)`);
  }
}

const QUOTE_HINT = '; if this is a value, put it in quotes (a value starting with * & ! @ % or ` must be quoted)';

const HINTS: Partial<Record<YAMLError['code'], (message: string) => string>> = {
  BAD_ALIAS: (message) => `${message}${QUOTE_HINT}`,
  BAD_SCALAR_START: (message) => `${message}${QUOTE_HINT}`,
  UNEXPECTED_TOKEN: (message) => (/alias|anchor|tag/.test(message) ? `${message}${QUOTE_HINT}` : message),
  BLOCK_AS_IMPLICIT_KEY: (message) => `${message}; a value holding ": " must be quoted, and a nested map starts on a new line`,
  MULTIPLE_DOCS: () => 'only one document is read: remove the second "---"',
};

function fromYamlProblem(problem: YAMLError, lineCounter: LineCounter): YamlError {
  const { line, col } = lineCounter.linePos(problem.pos[0]);
  const hint = HINTS[problem.code];
  return new YamlError(hint ? hint(problem.message) : problem.message, line, col);
}

/** `*name` with no `&name` before it; yaml only notices while converting, without a position. */
function unresolvedAlias(document: Document): { name: string; offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  visit(document, {
    Alias(_, alias) {
      if (alias.resolve(document)) return undefined;
      found = { name: alias.source, offset: alias.range?.[0] ?? 0 };
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Where the value at `path` (keys and list indexes) is written in `source`:
 * 1-based line and column. When the path leads somewhere no node is written
 * (a key that came in by a `<<` merge), the nearest enclosing node's place;
 * undefined when the source is not readable YAML. JSON is YAML here, so
 * `.json` monitors files get places too. Meant for error messages: it parses
 * the source again.
 */
export function positionOf(source: string, path: ReadonlyArray<string | number>): { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { ...PARSE_OPTIONS, lineCounter });
  if (document.errors.length > 0) return undefined;
  let node: unknown = document.contents;
  let found: Node | undefined = isNodeWithRange(node) ? node : undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof step === 'number') node = node.items[step];
    else break;
    if (!isNodeWithRange(node)) break;
    found = node;
  }
  if (!found?.range) return undefined;
  const { line, col } = lineCounter.linePos(found.range[0]);
  return { line, column: col };
}

const isNodeWithRange = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && Array.isArray((value as Node).range);
