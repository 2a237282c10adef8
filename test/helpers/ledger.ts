/** Scenario builders (see scenarios.ts) plus the per-file fixture of the contract tests. */
import { beforeAll, beforeEach } from "vitest";
import { snapshot } from "./scenarios";

export * from "./scenarios";

/**
 * Builds `build()` once per test file, then gives every test a fresh copy by snapshot and revert.
 * @example const ledger = useFixture(foundedConsortium); it("…", () => ledger().requests…)
 */
export function useFixture<T>(build: () => Promise<T>): () => T {
  let value: T | undefined;
  let revert: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    value = await build();
  });
  beforeEach(async () => {
    if (revert) await revert();
    revert = await snapshot();
  });
  return () => {
    if (value === undefined) throw new Error("fixture used outside a test");
    return value;
  };
}
