import { describe, it, expect } from "vitest";
import hre from "hardhat";
import { RequestStatus as S } from "../../../sdk/src/ledger/types";

const bit = (...s: S[]) => s.reduce((m, x) => m | (1 << x), 0);
const OPEN = bit(S.Submitted, S.Acknowledged, S.ClarificationRequested, S.Accepted, S.PartiallyAccepted, S.InExecution);

/** ARCHITECTURE.md's graph, by target status and acting party; every other pair is zero. */
const REQUESTER: Partial<Record<S, number>> = {
  [S.Acknowledged]: bit(S.ClarificationRequested),
  [S.Closed]: bit(S.Executed),
  [S.Withdrawn]: OPEN,
};
const REQUESTED: Partial<Record<S, number>> = {
  [S.Acknowledged]: bit(S.Submitted),
  [S.ClarificationRequested]: bit(S.Acknowledged),
  [S.Accepted]: bit(S.Acknowledged),
  [S.PartiallyAccepted]: bit(S.Acknowledged),
  [S.Refused]: bit(S.Acknowledged),
  [S.InExecution]: bit(S.Accepted, S.PartiallyAccepted),
  [S.Executed]: bit(S.InExecution),
};

describe("RequestLifecycle.allowedFrom", () => {
  const statuses = Object.values(S).filter((v): v is S => typeof v === "number");

  it("is exactly the lifecycle graph for every target status and acting party", async () => {
    const harness = await (await hre.ethers.getContractFactory("RequestLifecycleHarness")).deploy();
    for (const to of statuses) {
      expect(Number(await harness.allowedFrom(to, true)), `requester → ${S[to]}`).toBe(REQUESTER[to] ?? 0);
      expect(Number(await harness.allowedFrom(to, false)), `requested → ${S[to]}`).toBe(REQUESTED[to] ?? 0);
    }
  });

  it("counts Submitted … InExecution as open, and nothing else", async () => {
    const harness = await (await hre.ethers.getContractFactory("RequestLifecycleHarness")).deploy();
    for (const s of statuses) expect(await harness.isOpen(s), S[s]).toBe((OPEN & (1 << s)) !== 0);
  });
});
