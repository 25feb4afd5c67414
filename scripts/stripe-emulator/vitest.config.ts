import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Runs the emulator's tests on their own:
 *   pnpm exec vitest run -c scripts/stripe-emulator/vitest.config.ts
 * In the whole suite they belong to the `unit` project of tests/vitest.config.ts
 * (include 'scripts/stripe-emulator/**\/*.test.ts').
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'stripe-emulator',
    include: ['scripts/stripe-emulator/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
