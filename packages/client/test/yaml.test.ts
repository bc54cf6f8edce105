import { describe, expect, it } from 'vitest';
import { parseMonitorsFile } from '../src/monitors-file';
import { parseYaml, YamlError } from '../src/yaml';

describe('reading YAML 1.2', () => {
  it('reads a monitors file with nested maps, lists of maps, flow lists and comments', () => {
    const source = `---
# monitors as code
checks:
  - name: Nightly backup   # trailing comment
    slug: nightly-backup
    cron: "0 3 * * *"
    tz: Europe/Paris
    grace: 1h
    tags: [backup, "db"]
    channels:
      - ops email
      - slack
  - slug: queue
    period: 300
    manualResume: true
    maxRuntime: ~
`;
    expect(parseYaml(source)).toEqual({
      checks: [
        {
          name: 'Nightly backup',
          slug: 'nightly-backup',
          cron: '0 3 * * *',
          tz: 'Europe/Paris',
          grace: '1h',
          tags: ['backup', 'db'],
          channels: ['ops email', 'slack'],
        },
        { slug: 'queue', period: 300, manualResume: true, maxRuntime: null },
      ],
    });
  });

  it('reads scalars by the 1.2 core schema: yes, 12:30 and dates stay text', () => {
    expect(
      parseYaml(
        'a: 12\nb: -3.5\nc: false\nd: null\ne: 0 3 * * 1-5\nf: http://x.test/a#b\ng: 1e3\nh: 12:30\ni: yes\nj: 2026-03-29\nk: 0x1F',
      ),
    ).toEqual({
      a: 12,
      b: -3.5,
      c: false,
      d: null,
      e: '0 3 * * 1-5',
      f: 'http://x.test/a#b',
      g: 1000,
      h: '12:30',
      i: 'yes',
      j: '2026-03-29',
      k: 31,
    });
  });

  it('unescapes double-quoted strings, doubles single quotes and reads quoted keys', () => {
    expect(parseYaml(`a: "tab\\there \\"q\\" \\u00e9 # not a comment"\nb: 'it''s # kept'\n"quoted key": 1\n'single: key': 2`)).toEqual({
      a: 'tab\there "q" é # not a comment',
      b: "it's # kept",
      'quoted key': 1,
      'single: key': 2,
    });
  });

  it('keeps an apostrophe inside a plain scalar without treating it as a quote', () => {
    expect(parseYaml("description: don't page at night # comment")).toEqual({ description: "don't page at night" });
  });

  it('reads a list at the same indentation as its key, and nested lists', () => {
    expect(parseYaml('tags:\n- a\n- b\nmatrix:\n  - - 1\n    - 2\n  - [3, 4]\n')).toEqual({
      tags: ['a', 'b'],
      matrix: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it('reads flow lists and maps written over several lines, with comments and a trailing comma', () => {
    const source = 'tags: [\n  backup,   # why\n  "db",\n  nightly,\n]\nlimits: {\n  grace: 1h,\n  period: 1d\n}\nempty: []\nnone: {}\n';
    expect(parseYaml(source)).toEqual({
      tags: ['backup', 'db', 'nightly'],
      limits: { grace: '1h', period: '1d' },
      empty: [],
      none: {},
    });
  });

  it('reads literal and folded block scalars with every chomping indicator', () => {
    const source =
      'literal: |\n  line one\n    indented\n  line two\n\nfolded: >-\n  joined\n  words\n\n  new paragraph\nkept: |+\n  keep\n\nstrip: |-\n  no newline\nexplicit: |2\n    two spaces kept\nafter: x\n';
    expect(parseYaml(source)).toEqual({
      literal: 'line one\n  indented\nline two\n',
      folded: 'joined words\nnew paragraph',
      kept: 'keep\n\n',
      strip: 'no newline',
      explicit: '  two spaces kept\n',
      after: 'x',
    });
  });

  it('folds plain and quoted scalars that run over several lines', () => {
    expect(parseYaml('description: runs the nightly\n  backup of the\n  main database\nname: "Nightly\n  backup"\n')).toEqual({
      description: 'runs the nightly backup of the main database',
      name: 'Nightly backup',
    });
  });

  it('resolves anchors, aliases and << merge keys, a later key winning over the merged one', () => {
    const source = `defaults: &defaults
  tz: Europe/Paris
  grace: 1h
  channels: &ops [ops email, slack]
checks:
  - <<: *defaults
    slug: backup
    cron: "0 3 * * *"
  - <<: *defaults
    slug: report
    grace: 2h
    channels: *ops
`;
    expect(parseYaml(source)).toEqual({
      defaults: { tz: 'Europe/Paris', grace: '1h', channels: ['ops email', 'slack'] },
      checks: [
        { tz: 'Europe/Paris', grace: '1h', channels: ['ops email', 'slack'], slug: 'backup', cron: '0 3 * * *' },
        { tz: 'Europe/Paris', grace: '2h', channels: ['ops email', 'slack'], slug: 'report' },
      ],
    });
  });

  it('lets a thousand checks share one anchor', () => {
    const checks = Array.from({ length: 1000 }, (_, i) => `  - <<: *defaults\n    slug: job-${i}\n`).join('');
    const declared = parseMonitorsFile(`defaults: &defaults\n  period: 1d\n  grace: 30m\nchecks:\n${checks}`, 'many.yaml');
    expect(declared).toHaveLength(1000);
    expect(declared[999]).toEqual({ slug: 'job-999', period: 86_400, grace: 1800 });
  });

  it('reads an empty document as null, a bare list, and a document closed by ...', () => {
    expect(parseYaml('# nothing\n')).toBeNull();
    expect(parseYaml('')).toBeNull();
    expect(parseYaml('- 1\n- two\n')).toEqual([1, 'two']);
    expect(parseYaml('---\na: 1\n...\n')).toEqual({ a: 1 });
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const parsed = parseYaml('__proto__: { polluted: true }\nslug: a') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'slug']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('YAML errors', () => {
  const failure = (source: string): YamlError => {
    try {
      parseYaml(source);
    } catch (error) {
      if (error instanceof YamlError) return error;
      throw error;
    }
    throw new Error(`parsed without an error: ${source}`);
  };

  it('give the line and column of the first problem', () => {
    const error = failure('checks:\n  - slug: a\n    grace: 1h\n    grace: 2h\n    tags: [a, b: c]\n');
    expect([error.line, error.column]).toEqual([4, 5]);
    expect(error.message).toBe('line 4, column 5: Map keys must be unique');
  });

  it('tell the user to quote a cron expression that YAML reads as an alias', () => {
    expect(failure('cron: * * * * *').message).toMatch(/^line 1, column 7: .*put it in quotes/);
    expect(failure('checks:\n  - slug: a\n    cron: */5 * * * *\n').message).toMatch(/^line 3, column \d+: .*put it in quotes/);
    expect(failure('cron: @daily').message).toMatch(/^line 1, column 7: .*reserved character @; if this is a value, put it in quotes/);
  });

  it('name an alias whose anchor is missing', () => {
    expect(failure('a: 1\nb: *nowhere').message).toBe(
      'line 2, column 4: alias "*nowhere" names no anchor above it; if this is a value, put it in quotes (a value starting with * & ! @ % or ` must be quoted)',
    );
  });

  it('refuse duplicate keys, tabs, bad indentation, unclosed quotes and brackets, and a second document', () => {
    expect(failure('a: 1\na: 2').message).toMatch(/^line 2, column 1: Map keys must be unique/);
    expect(failure('a:\n\tb: 1').message).toMatch(/^line 2, column 1: Tabs are not allowed/);
    expect(failure('a: 1\n    b: 2').line).toBe(1);
    expect(failure('a: b: c').message).toMatch(/^line 1, column 4: .*a value holding ": " must be quoted/);
    expect(failure('a: "open').message).toMatch(/^line 1, column \d+: Missing closing "quote/);
    expect(failure('a: [1, 2').message).toMatch(/^line 1, column \d+: .*\]/);
    expect(failure('a: 1\n---\nb: 2').message).toBe('line 2, column 1: only one document is read: remove the second "---"');
  });

  it('refuse keys that are not text and YAML 1.1 tags rather than pass odd values on', () => {
    expect(failure('? [a, b]\n: 1').message).toMatch(/^line 1, column \d+: .*keys must be strings/);
    expect(failure('data: !!binary aGk=').message).toMatch(/^line 1, column 7: Unresolved tag/);
  });

  it('refuse a billion laughs without expanding it', () => {
    let source = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (const [name, previous] of [...'bcdefghi'].map((name, i) => [name, 'abcdefgh'[i]])) {
      source += `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]\n`;
    }
    const started = performance.now();
    expect(failure(source).message).toBe('aliases expand to too much data (more than 10000 copies)');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reach the monitors file unchanged, prefixed by nothing else', () => {
    expect(() => parseMonitorsFile('checks:\n  - slug: a\n    cron: * * * * *\n', 'cronbeat.yaml')).toThrow(/^line 3, column 11: /);
  });
});
