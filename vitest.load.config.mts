// Vitest config of `npm run test:load`: the load suites (test/load/**), one file at a time and never beside
// another suite, so what they measure is the gateway and not a neighbour's CPU. The gateway under load runs
// compiled: the global setup builds it first (`npm run build:gateway`, incremental).
import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/load/**/*.test.ts"],
    exclude: configDefaults.exclude,
    fileParallelism: false,
    globalSetup: ["test/load/buildGateway.ts"],
    // Bounds only: the run's own length is the suite's duration (60 s CI, 600 s deep) per store.
    testTimeout: 45 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
