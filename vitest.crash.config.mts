// Vitest config of `npm run test:crash`: the crash-safety rounds (kill -9 at random moments and at every
// failpoint, on SQLite and on PostgreSQL). Several hundred gateway processes are started and killed, so
// the run takes about 11 minutes on an idle two-core machine: more than `npm test`'s CI budget leaves (see docs/security.md).
import { configDefaults, defineConfig } from "vitest/config";
import base, { CRASH_ROUNDS } from "./vitest.config.mts";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: CRASH_ROUNDS,
    exclude: configDefaults.exclude,
    testTimeout: 60 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});
