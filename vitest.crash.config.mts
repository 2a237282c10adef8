// Vitest config of `npm run test:crash` (MLAT_CRASH_ROUNDS=full): the crash-safety rounds alone at the
// issue's figures (kill -9 at 200 random moments and 50 at each named failpoint, on SQLite and on
// PostgreSQL: 430 gateway processes, about 12 minutes on an idle two-core machine). `npm test` runs them
// CI-sized (90 kills), since at full size they would take CI past its 30 minutes (see docs/security.md).
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
