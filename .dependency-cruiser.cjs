/**
 * The map of docs/architecture.md, enforced (`npm run lint:deps`, in CI):
 * which workspace's code may import which, and for all files, tests and
 * benches included, that another workspace is used only through its package
 * name and exports (test helpers too: `@cronbeat/db/testing`,
 * `@cronbeat/notify/testing`), and that every package a file imports from
 * node_modules is declared by its own workspace. Tests may use any workspace
 * by name, as the end-to-end suites start real servers and workers.
 */
const OURS = '^(apps|packages)/';
/** Tests and benches: end-to-end by design, so the layering below is for the code that ships. */
const NOT_SHIPPED = '/(test|bench)/';

/** `from` may import nothing of ours but itself and the workspaces in `allowed`. */
function onlyImports(name, from, allowed, comment) {
  const itself = from.replace(/^\^/, '').replace(/\/$/, '');
  const permitted = [itself, ...allowed].map((path) => `^${path}/`).join('|');
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from, pathNot: NOT_SHIPPED },
    to: { path: OURS, pathNot: permitted },
  };
}

module.exports = {
  forbidden: [
    onlyImports('core-is-pure', '^packages/core/', [], 'core holds the domain and imports nothing of ours'),
    onlyImports('config-alone', '^packages/config/', [], 'config is the one reader of the environment'),
    onlyImports(
      'client-alone',
      '^packages/client/',
      ['packages/contract'],
      'the client is published with no dependencies of ours: the contract it uses is bundled into it',
    ),
    onlyImports(
      'contract-below',
      '^packages/contract/',
      ['packages/core'],
      "the API's shapes take the domain's lists and limits from core",
    ),
    onlyImports('db-below', '^packages/db/', ['packages/core', 'packages/config'], 'db may import core and config'),
    onlyImports('notify-below', '^packages/notify/', ['packages/core'], 'notify may import core'),
    onlyImports('runtime-below', '^packages/runtime/', ['packages/config'], 'runtime may import config'),
    onlyImports(
      'web-no-server-code',
      '^apps/web/',
      ['packages/client', 'packages/contract'],
      "the dashboard talks to the server over HTTP only, in the contract's shapes",
    ),
    {
      name: 'packages-never-import-apps',
      severity: 'error',
      from: { path: '^packages/', pathNot: NOT_SHIPPED },
      to: { path: '^apps/' },
    },
    {
      name: 'server-worker-apart',
      comment: 'server and worker never import each other; apps/standalone starts both',
      severity: 'error',
      from: { path: '^apps/(server|worker)/', pathNot: NOT_SHIPPED },
      to: { path: '^apps/(server|worker)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-reaching-into-workspaces',
      comment: 'a workspace uses another through its package name and exports (e.g. @cronbeat/db/testing), never a relative path into it',
      severity: 'error',
      from: { path: '^(apps|packages)/([^/]+)/' },
      to: { path: OURS, pathNot: '^$1/$2/', dependencyTypes: ['local'] },
    },
    {
      name: 'declared-dependencies',
      comment: "a package imported from node_modules is in the importing workspace's package.json",
      severity: 'error',
      from: { path: OURS },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: { path: OURS },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
