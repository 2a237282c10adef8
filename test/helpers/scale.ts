/**
 * How big the fault, fuzz and load suites run. `npm test` runs the CI sizes; `npm run test:deep` sets
 * MLAT_TEST_DEPTH=deep and every suite runs its long version. One place decides, so a suite never
 * invents its own switch.
 */
export const DEEP = process.env.MLAT_TEST_DEPTH === "deep";

/** The CI count, or the deep count under `npm run test:deep`. */
export function scaled(ci: number, deep: number): number {
  return DEEP ? deep : ci;
}

/**
 * The crash rounds' size: `npm test` runs a CI-sized sample of them (the rounds of all four crash files
 * take ~24 minutes of worker time, more than the 30-minute CI budget leaves); `npm run test:crash` sets
 * MLAT_CRASH_ROUNDS=full and runs the issue's figures; `npm run test:deep` the long version.
 */
export function crashScaled(ci: number, full: number, deep: number): number {
  if (DEEP) return deep;
  return process.env.MLAT_CRASH_ROUNDS === "full" ? full : ci;
}
