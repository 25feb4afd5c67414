import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * unit: pure code beside its module. api: the Fastify app through inject() on real PostgreSQL,
 * one database per test file cloned from a migrated template. browser: the whole stack driven
 * by Debian's Chromium.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      {
        // $lib as SvelteKit resolves it, so the web's formatting code (and its compiled messages) runs here too.
        resolve: { alias: { $lib: fileURLToPath(new URL('../web/src/lib', import.meta.url)) } },
        test: { name: 'unit', include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'db/src/**/*.test.ts', 'scripts/**/*.test.ts', 'web/src/lib/**/*.test.ts', 'web/src/routes/dev/**/*.test.ts', 'web/server/**/*.test.ts'] },
      },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/stack-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // Crashes and outages: API processes SIGKILLed and restarted, a PostgreSQL stopped under load.
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
