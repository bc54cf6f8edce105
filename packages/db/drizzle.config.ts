import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/db/src/schema/index.ts',
  // scripts/check-migrations.mjs generates into a copy, to see whether anything would be generated at all.
  out: process.env.DRIZZLE_OUT ?? './migrations',
});
