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
