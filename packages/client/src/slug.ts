/** Programs that only wrap the real job; the slug names what they run. */
const WRAPPERS = new Set(['sudo', 'nice', 'ionice', 'nohup', 'env', 'time', 'chronic', 'flock', 'timeout', 'setlock', 'run-one', 'exec']);
/** Interpreters: the script they run names the job better than they do. */
const INTERPRETERS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'python',
  'python2',
  'python3',
  'node',
  'php',
  'ruby',
  'perl',
  'bun',
  'deno',
  'tsx',
]);
/** Options of each wrapper that take a separate value, which we must skip along with them. */
const VALUE_OPTIONS: Record<string, string[]> = {
  sudo: ['-u', '-g'],
  nice: ['-n'],
  ionice: ['-c', '-n', '-p'],
  env: ['-u'],
  flock: ['-w', '-E', '--timeout', '--conflict-exit-code'],
  timeout: ['-s', '-k', '--signal', '--kill-after'],
};
/** Steps of a shell line that prepare rather than do the job. */
const PREPARATION = new Set(['cd', 'source', '.', 'export', 'sleep', 'set', 'umask', 'test', '[']);

/** Splits a shell word list, honouring quotes; good enough to name a job, not to run it. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|((?:[^\s"'\\]|\\.)+)/g)) {
    words.push(match[1] ?? match[2] ?? match[3]!.replace(/\\(.)/g, '$1'));
  }
  return words;
}

export function slugify(text: string, maxLength = 48): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

const basename = (path: string) => path.replace(/\/+$/, '').split('/').at(-1) ?? path;
const withoutExtension = (name: string) => name.replace(/\.(sh|bash|py|js|mjs|ts|php|rb|pl)$/, '');

/**
 * What a crontab command runs, in a few words: the program (or the script an
 * interpreter runs) and up to two of its non-option arguments, e.g.
 * `cd /srv && php artisan schedule:run >> /var/log/x 2>&1` → `artisan`,
 * `schedule:run`. Empty when no program can be told.
 */
export function jobWords(command: string): string[] {
  const steps = command.split(/&&|\|\||;|\|/).map((step) => step.trim());
  const step = steps.find((candidate) => {
    const first = shellWords(candidate).find((word) => !isAssignment(word));
    return first !== undefined && !PREPARATION.has(first);
  });
  const words = dropRedirections(shellWords(step ?? command)).filter(
    (word, i, all) => !(isAssignment(word) && all.slice(0, i).every(isAssignment)),
  );
  let i = 0;
  // Skip wrappers (and their options) until the real program.
  while (i < words.length && WRAPPERS.has(basename(words[i]!))) {
    const wrapper = basename(words[i]!);
    i++;
    while (i < words.length && (words[i]!.startsWith('-') || isAssignment(words[i]!) || (wrapper === 'timeout' && /^\d/.test(words[i]!)))) {
      if (VALUE_OPTIONS[wrapper]?.includes(words[i]!)) i++;
      i++;
    }
    if (wrapper === 'flock' || wrapper === 'setlock') i++; // the lock file
  }
  let rest = words.slice(i);
  if (rest[0] && INTERPRETERS.has(basename(rest[0]).replace(/[\d.]+$/, '') || basename(rest[0]))) {
    const moduleFlag = rest.indexOf('-m');
    const script = rest.slice(1).findIndex((word) => !word.startsWith('-'));
    if (moduleFlag > 0 && rest[moduleFlag + 1]) rest = rest.slice(moduleFlag + 1);
    else if (rest.includes('-c')) rest = [basename(rest[0]!)];
    else if (script >= 0) rest = rest.slice(script + 1);
  }
  const [program, ...args] = rest;
  if (!program) return [];
  return [withoutExtension(basename(program)), ...args.filter(isNamingArgument).slice(0, 2).map(basename)];
}

/** A slug for a crontab command, from `jobWords`: `artisan-schedule-run`. */
export function slugForCommand(command: string): string {
  const words = jobWords(command);
  return slugify(words.length > 0 ? words.join('-') : command) || 'job';
}

/** A check name for a crontab command, from `jobWords`: `artisan schedule:run`. */
export function nameForCommand(command: string): string {
  const name = jobWords(command).join(' ');
  return name.length > 0 ? name.slice(0, 100) : slugForCommand(command);
}

/** Words that say what a job does: not options, not bare numbers like `+7`. */
const isNamingArgument = (arg: string) => !/^[-+]/.test(arg) && /[A-Za-z]/.test(arg);

const isAssignment = (word: string) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);

function dropRedirections(words: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (/^\d*(>>?|<)&?$/.test(word)) i++;
    else if (!/^\d*(>>?|<)/.test(word)) kept.push(word);
  }
  return kept;
}
