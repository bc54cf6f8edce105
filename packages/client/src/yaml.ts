/**
 * A small YAML subset, enough for a monitors-as-code file, so the client
 * stays free of dependencies: block maps and lists (nested by indentation),
 * one-line flow lists and maps (`[a, b]`, `{ a: 1 }`), plain, single- and
 * double-quoted scalars, `|` and `>` block scalars, comments and a leading
 * `---`. Anchors, aliases, tags and multi-document streams are rejected with
 * a message rather than misread.
 */
export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

export class YamlError extends Error {
  override readonly name = 'YamlError';
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
  }
}

interface Line {
  indent: number;
  /** Without indentation, comment or trailing blanks; empty for a blank line. */
  text: string;
  raw: string;
  no: number;
}

const KEY_LINE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\]},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s+(.*))?$/;

export function parseYaml(source: string): YamlValue {
  const lines = source.split(/\r?\n/).map((raw, index) => toLine(raw, index + 1));
  const parser = new BlockParser(lines);
  return parser.document();
}

function toLine(raw: string, no: number): Line {
  const indent = raw.length - raw.trimStart().length;
  if (/^ *\t/.test(raw) && raw.trim() !== '') throw new YamlError('tabs are not allowed in indentation', no);
  return { indent, text: stripComment(raw.slice(indent)).trimEnd(), raw, no };
}

/** Drops a `#` comment that is outside quotes; a quote only opens a string at the start of a token. */
function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === '\\' && quote === '"') i++;
      else if (quote === "'" && text.startsWith("''", i)) i++;
      else if (char === quote) quote = null;
    } else if ((char === '"' || char === "'") && (i === 0 || /[\s[{,:-]/.test(text[i - 1]!))) quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i);
  }
  return text;
}

class BlockParser {
  private pos = 0;
  constructor(private readonly lines: Line[]) {}

  document(): YamlValue {
    const first = this.peek();
    if (first?.text === '---') this.pos++;
    if (!this.peek()) return null;
    const value = this.block(0);
    const rest = this.peek();
    if (rest) throw new YamlError(rest.text === '---' ? 'only one document is supported' : 'unexpected indentation', rest.no);
    return value;
  }

  private peek(): Line | undefined {
    while (this.pos < this.lines.length && this.lines[this.pos]!.text === '') this.pos++;
    const line = this.lines[this.pos];
    return line && line.text !== '...' ? line : undefined;
  }

  private block(minIndent: number): YamlValue {
    const line = this.peek()!;
    if (line.indent < minIndent) return null;
    if (isSequenceItem(line.text)) return this.sequence(line.indent);
    if (KEY_LINE.test(line.text)) return this.map(line.indent);
    this.pos++;
    return parseInline(line.text, line.no);
  }

  private sequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let line = this.peek(); line && line.indent === indent && isSequenceItem(line.text); line = this.peek()) {
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.pos++;
        const next = this.peek();
        items.push(next && next.indent > indent ? this.block(indent + 1) : null);
        continue;
      }
      // "- key: value" opens a map whose keys line up with "key": reread the line at that column.
      const column = indent + line.text.length - rest.length;
      this.lines[this.pos] = { ...line, indent: column, text: rest };
      items.push(this.block(column));
    }
    this.expectDedent(indent);
    return items;
  }

  private map(indent: number): { [key: string]: YamlValue } {
    const map: { [key: string]: YamlValue } = {};
    for (let line = this.peek(); line && line.indent === indent && line.text !== '---'; line = this.peek()) {
      const match = KEY_LINE.exec(line.text);
      if (!match) throw new YamlError(`expected "key: value", found "${line.text}"`, line.no);
      const key =
        match[1] !== undefined ? unescapeDouble(match[1], line.no) : match[2] !== undefined ? match[2].replaceAll("''", "'") : match[3]!;
      if (Object.hasOwn(map, key)) throw new YamlError(`duplicate key "${key}"`, line.no);
      const value = match[4]?.trim() ?? '';
      this.pos++;
      if (/^[|>][+-]?$/.test(value)) map[key] = this.blockScalar(indent, value, line.no);
      else if (value !== '') map[key] = parseInline(value, line.no);
      else {
        const next = this.peek();
        if (next && next.indent > indent) map[key] = this.block(indent + 1);
        // YAML lets a list sit at the same indentation as its key.
        else if (next && next.indent === indent && isSequenceItem(next.text)) map[key] = this.sequence(indent);
        else map[key] = null;
      }
    }
    this.expectDedent(indent);
    return map;
  }

  private blockScalar(parentIndent: number, header: string, no: number): string {
    const content: string[] = [];
    let indent: number | null = null;
    while (this.pos < this.lines.length) {
      const { raw } = this.lines[this.pos]!;
      const lineIndent = raw.length - raw.trimStart().length;
      if (raw.trim() !== '') {
        if (lineIndent <= parentIndent) break;
        indent ??= lineIndent;
        if (lineIndent < indent) throw new YamlError('block scalar line is indented less than its first line', no);
      }
      content.push(raw.trim() === '' ? '' : raw.slice(indent ?? 0));
      this.pos++;
    }
    while (content.length > 0 && content.at(-1) === '') content.pop();
    const text = header.startsWith('>')
      ? content.reduce(
          (folded, line, i) => (i === 0 ? line : line === '' ? `${folded}\n` : `${folded}${folded.endsWith('\n') ? '' : ' '}${line}`),
          '',
        )
      : content.join('\n');
    if (header.endsWith('-')) return text;
    return `${text}\n`;
  }

  private expectDedent(indent: number): void {
    const next = this.peek();
    if (next && next.indent > indent) throw new YamlError(`unexpected indentation before "${next.text}"`, next.no);
  }
}

const isSequenceItem = (text: string) => text === '-' || text.startsWith('- ');

/** A scalar, quoted string or one-line flow collection. */
export function parseInline(text: string, no: number): YamlValue {
  const reader = new FlowReader(text, no);
  const value = reader.value('');
  reader.end();
  return value;
}

class FlowReader {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly no: number,
  ) {}

  end(): void {
    this.skipSpace();
    if (this.i < this.text.length) this.fail(`unexpected "${this.text.slice(this.i)}"`);
  }

  /** Reads one value; `stops` are the characters that end a plain scalar in the current flow context. */
  value(stops: string): YamlValue {
    this.skipSpace();
    const char = this.text[this.i];
    if (char === '[') return this.list();
    if (char === '{') return this.map();
    if (char === '"' || char === "'") return this.quoted(char);
    if (char === '&' || char === '*' || char === '!')
      this.fail(`anchors, aliases and tags are not supported; quote the value ("${this.text}")`);
    let end = this.i;
    while (end < this.text.length && !stops.includes(this.text[end]!) && !(stops && this.text.startsWith(': ', end))) end++;
    const plain = this.text.slice(this.i, end).trim();
    this.i = end;
    return plainScalar(plain);
  }

  private list(): YamlValue[] {
    const items: YamlValue[] = [];
    this.i++;
    for (;;) {
      this.skipSpace();
      if (this.eat(']')) return items;
      items.push(this.value(',]'));
      this.skipSpace();
      if (this.eat(']')) return items;
      if (!this.eat(',')) this.fail('expected "," or "]" (flow lists must fit on one line)');
    }
  }

  private map(): { [key: string]: YamlValue } {
    const map: { [key: string]: YamlValue } = {};
    this.i++;
    for (;;) {
      this.skipSpace();
      if (this.eat('}')) return map;
      const key = this.value(':,}');
      this.skipSpace();
      if (!this.eat(':')) this.fail('expected ":" after a key in a flow map');
      map[String(key)] = this.value(',}');
      this.skipSpace();
      if (this.eat('}')) return map;
      if (!this.eat(',')) this.fail('expected "," or "}" (flow maps must fit on one line)');
    }
  }

  private quoted(quote: string): string {
    let j = this.i + 1;
    while (j < this.text.length) {
      if (quote === '"' && this.text[j] === '\\') j += 2;
      else if (quote === "'" && this.text.startsWith("''", j)) j += 2;
      else if (this.text[j] === quote) break;
      else j++;
    }
    if (j >= this.text.length) this.fail(`unterminated ${quote === '"' ? 'double' : 'single'}-quoted string`);
    const body = this.text.slice(this.i + 1, j);
    this.i = j + 1;
    return quote === '"' ? unescapeDouble(body, this.no) : body.replaceAll("''", "'");
  }

  private skipSpace(): void {
    while (this.text[this.i] === ' ') this.i++;
  }

  private eat(char: string): boolean {
    if (this.text[this.i] !== char) return false;
    this.i++;
    return true;
  }

  private fail(message: string): never {
    throw new YamlError(message, this.no);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ' };

function unescapeDouble(body: string, no: number): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, sequence: string) => {
    if (sequence.length > 1) return String.fromCharCode(Number.parseInt(sequence.slice(1), 16));
    const char = ESCAPES[sequence];
    if (char === undefined) throw new YamlError(`unknown escape "\\${sequence}"`, no);
    return char;
  });
}

function plainScalar(text: string): YamlValue {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}
