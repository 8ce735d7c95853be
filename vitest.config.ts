import { defineConfig } from 'vitest/config';

/**
 * The engine behaviour suites (every test that builds its engine with `setup()` from test/helpers/engine.ts)
 * run once per backend in BATON_TEST_BACKENDS (comma-separated, default `memory,sqlite`), as one vitest
 * project each; `setup()` reads the project's BATON_TEST_BACKEND. Everything else runs once.
 */
const BEHAVIOUR = [
  'test/engine/**/*.test.ts',
  'test/operations/**/*.test.ts',
  'test/tasks/**/*.test.ts',
  'test/start-options/**/*.test.ts',
  'test/limits/**/*.test.ts',
  'test/event-handlers/**/*.test.ts',
  'test/search/**/*.test.ts',
];

/**
 * Behaviour files that build their own in-memory engines (a shared sandbox pool) rather than use `setup()`:
 * they run once, in the first backend's project.
 */
const MEMORY_ONLY = ['test/tasks/inline-lambda.test.ts', 'test/tasks/javascript-evaluators.test.ts'];

const backends = (process.env.BATON_TEST_BACKENDS ?? 'memory,sqlite')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

export default defineConfig({
  test: {
    // Stops the engines `setup()` made and deletes their SQLite files after each test.
    setupFiles: ['test/helpers/hooks.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: BEHAVIOUR } },
      // Without per-file isolation the engine modules are imported once per worker rather than once per
      // file, which takes the suite from ~90 s to ~30 s on 2 cores; every test builds its own engine.
      ...backends.map((backend, index) => ({
        extends: true as const,
        test: {
          name: backend,
          include: BEHAVIOUR,
          exclude: index === 0 ? [] : MEMORY_ONLY,
          env: { BATON_TEST_BACKEND: backend },
          isolate: false,
        },
      })),
    ],
  },
});
