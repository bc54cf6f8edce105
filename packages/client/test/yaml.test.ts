import { describe, expect, it } from 'vitest';
import { parseYaml } from '../src/yaml';

describe('the YAML subset', () => {
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

  it('reads scalars: numbers, booleans, null, and strings that only look special', () => {
    expect(parseYaml('a: 12\nb: -3.5\nc: false\nd: null\ne: 0 3 * * 1-5\nf: http://x.test/a#b\ng: 1e3\nh: 12:30')).toEqual({
      a: 12,
      b: -3.5,
      c: false,
      d: null,
      e: '0 3 * * 1-5',
      f: 'http://x.test/a#b',
      g: 1000,
      h: '12:30',
    });
  });

  it('unescapes double-quoted strings and doubles single quotes', () => {
    expect(parseYaml(`a: "tab\\there \\"q\\" \\u00e9 # not a comment"\nb: 'it''s # kept'\n"quoted key": 1`)).toEqual({
      a: 'tab\there "q" é # not a comment',
      b: "it's # kept",
      'quoted key': 1,
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

  it('reads flow maps and empty collections', () => {
    expect(parseYaml('a: { x: 1, y: "two" }\nb: []\nc: {}')).toEqual({ a: { x: 1, y: 'two' }, b: [], c: {} });
  });

  it('reads literal and folded block scalars with chomping', () => {
    const source = 'literal: |\n  line one\n  line two\n\nfolded: >-\n  joined\n  words\n\n  new paragraph\nafter: x\n';
    expect(parseYaml(source)).toEqual({ literal: 'line one\nline two\n', folded: 'joined words\nnew paragraph', after: 'x' });
  });

  it('reads an empty document as null and a bare list', () => {
    expect(parseYaml('# nothing\n')).toBeNull();
    expect(parseYaml('- 1\n- two\n')).toEqual([1, 'two']);
  });

  it('refuses what it does not support, with the line number', () => {
    expect(() => parseYaml('cron: * * * * *')).toThrow(/line 1: anchors, aliases and tags are not supported; quote the value/);
    expect(() => parseYaml('a: 1\na: 2')).toThrow('line 2: duplicate key "a"');
    expect(() => parseYaml('a:\n\tb: 1')).toThrow('line 2: tabs are not allowed');
    expect(() => parseYaml('a: 1\n    b: 2')).toThrow(/line 2: unexpected indentation/);
    expect(() => parseYaml('a: "open')).toThrow('line 1: unterminated double-quoted string');
    expect(() => parseYaml('a: [1, 2')).toThrow(/line 1: expected "," or "]"/);
    expect(() => parseYaml('a: 1\n---\nb: 2')).toThrow('line 2: only one document is supported');
  });
});
