import { configDefaults, defineConfig } from "vitest/config";

/** The crash-safety rounds: one file per suite and store (test/security/crash/*Suite.ts). */
export const CRASH_ROUNDS = ["test/security/crash/*.sqlite.test.ts", "test/security/crash/*.postgres.test.ts"];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The load suites run alone (vitest.load.config.mts, `npm run test:load`); the crash rounds run here
    // CI-sized (90 kills), and at the issue's figures (430 kills) in `npm run test:crash`.
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
