import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The load suites run alone, after the others (vitest.load.config.mts, `npm run test:load`).
    exclude: [...configDefaults.exclude, "test/load/**"],
    // Hardhat runs in-process: each test file gets its own forked worker and network.
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one worker on CI's two, every file in turn while
    // most of them wait on a chain node or a socket. Two keep both cores busy.
    maxWorkers: 2,
    setupFiles: ["test/helpers/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
