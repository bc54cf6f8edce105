import type { TestProject } from 'vitest/node';
import { cliBundle } from './cli-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The CLI bundled from the current sources, for `cli()` to start with plain node (see `cli-bundle.ts`). */
    cronbeatCli: string;
  }
}

export default async function setup(project: TestProject) {
  project.provide('cronbeatCli', await cliBundle());
}
