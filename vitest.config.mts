import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The load suites run alone, after the others (vitest.load.config.mts, `npm run test:load`).
    exclude: [...configDefaults.exclude, "test/load/**"],
    // Hardhat runs in-process: each test file gets its own forked worker and network.
    pool: "forks",
    setupFiles: ["test/helpers/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
