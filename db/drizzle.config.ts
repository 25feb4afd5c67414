import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: it diffs the schema against the committed snapshots, no database needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
});
