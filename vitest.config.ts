import { defineConfig } from 'vitest/config';

// One run covers every package. Workspace packages resolve to their TypeScript source through the
// `bifrost-source` export condition, so unit tests never wait for a build.
export default defineConfig({
  resolve: { conditions: ['bifrost-source'] },
  ssr: { resolve: { conditions: ['bifrost-source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'transports/*/src/**/*.test.ts',
      'plugins/*/src/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // CI also writes a JSON report, from which .ci/run prints a one-line pass/fail count.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.vitest-report.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
