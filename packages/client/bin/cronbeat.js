#!/usr/bin/env node
// Published packages run the compiled dist/; inside the repository, where
// there is no build step, the TypeScript sources run through tsx instead.
import { existsSync } from 'node:fs';

const source = new URL('../src/bin.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/bin.js', import.meta.url).href);
}
