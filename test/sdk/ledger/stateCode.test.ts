import { describe, it, expect } from "vitest";
import { fromStateBytes, toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { isMlatError } from "../../../sdk/src/errors/MlatError";

describe("state codes", () => {
  it("packs and unpacks ISO 3166-1 alpha-2 codes as bytes2", () => {
    expect(toStateBytes("MX")).toBe("0x4d58");
    expect(fromStateBytes("0x4d58")).toBe("MX");
    expect(fromStateBytes("0x0000")).toBe("");
  });
  it.each(["mx", "M", "MEX", "M1", ""])("refuses %j with a typed error", (code) => {
    try {
      toStateBytes(code);
      expect.unreachable();
    } catch (e) {
      expect(isMlatError(e, "INVALID_STATE_CODE")).toBe(true);
    }
  });
  it("refuses bytes that are no state code", () => {
    expect(() => fromStateBytes("0x6d78")).toThrow(/does not encode a state code/);
    expect(() => fromStateBytes("0x4d")).toThrow(/not a bytes2/);
  });
});
