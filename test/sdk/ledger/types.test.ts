import { readFileSync } from "node:fs";
import { describe, it, expect } from "vitest";
import * as T from "../../../sdk/src/ledger/types";

const source = readFileSync("contracts/types/MlatTypes.sol", "utf8");

function solidityEnum(name: string): string[] {
  const m = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(source);
  if (!m) throw new Error(`enum ${name} not found in MlatTypes.sol`);
  return m[1]!.split(",").map((s) => s.trim()).filter(Boolean);
}

function tsEnum(e: Record<string, string | number>): string[] {
  return Object.keys(e).filter((k) => Number.isNaN(Number(k)));
}

describe("sdk ledger types", () => {
  it.each([
    ["StateStatus", T.StateStatus],
    ["ProposalKind", T.ProposalKind],
    ["ProposalStatus", T.ProposalStatus],
    ["RequestStatus", T.RequestStatus],
    ["Priority", T.Priority],
    ["RefusalReason", T.RefusalReason],
    ["CustodyAction", T.CustodyAction],
  ] as const)("mirrors the Solidity enum %s member for member", (name, e) => {
    expect(tsEnum(e as unknown as Record<string, string | number>)).toEqual(solidityEnum(name));
  });

  it("mirrors the Solidity role bits", () => {
    for (const [name, bit] of Object.entries(T.Role)) {
      expect(source).toContain(`uint8 internal constant ${name} = ${bit};`);
    }
  });

  it("builds role and assistance masks from names", () => {
    expect(T.rolesMask(["AGENCY", "GATEWAY"])).toBe(6);
    expect(T.assistanceMask(["BANK_RECORDS", "ELECTRONIC_EVIDENCE"])).toBe(48);
    expect(T.ALL_ASSISTANCE_TYPES).toBe((1 << Object.keys(T.AssistanceType).length) - 1);
  });
});
