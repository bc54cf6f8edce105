import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Bundles `source` as the dashboard's bundler would (ESM, tree-shaken, honouring `sideEffects`), and returns the code. */
async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe("the contract's plain values", () => {
  it('cost a page a few kilobytes: no TypeBox, no cron parser', async () => {
    const code = await bundle(
      "import { STATUSES, ROLES, canonicalZone, isUuid } from '@cronbeat/contract'; console.log(STATUSES, ROLES, canonicalZone, isUuid);",
    );
    expect(code.length).toBeLessThan(5_000);
    expect(code).not.toMatch(/~unsafe|anyOf|Luxon|CronExpression/);
  });

  it("give the client's CLI its rules without the domain: @cronbeat/contract/rules imports nothing", async () => {
    const code = await bundle("import { isUuid, slugProblem } from '@cronbeat/contract/rules'; console.log(isUuid, slugProblem);");
    expect(code.length).toBeLessThan(1_000);
  });

  it('leave a type-only import out of the bundle entirely', async () => {
    const code = await bundle("import type { Check } from '@cronbeat/contract'; const checks: Check[] = []; console.log(checks);");
    expect(code.length).toBeLessThan(100);
  });
});
