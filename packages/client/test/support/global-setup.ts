import type { TestProject } from 'vitest/node';
import { cliBundle } from './cli-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The CLI bundled from the current sources, for `cli()` to start with plain node (see `cli-bundle.ts`),
     * or why it could not be bundled: then the tests that run the CLI fail with that, and the other suites still run.
     */
    cronbeatCli: { path: string } | { error: string };
  }
}

export default async function setup(project: TestProject) {
  try {
    project.provide('cronbeatCli', { path: await cliBundle() });
  } catch (error) {
    project.provide('cronbeatCli', { error: error instanceof Error ? error.message : String(error) });
  }
}
