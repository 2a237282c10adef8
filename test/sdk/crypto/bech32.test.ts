import { describe, expect, it } from "vitest";
import { bech32Decode, bech32Encode } from "../../../sdk/src/crypto/bech32";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { thrown } from "./helpers/bytes";

// BIP 173 test vectors (https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki#test-vectors).
const BIP173_VALID = [
  "A12UEL5L",
  "a12uel5l",
  "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
  "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
  "11" + "q".repeat(82) + "c8247j",
  "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
  "?1ezyfcl",
];
const BIP173_INVALID: [string, string][] = [
  ["\x201nwldj5", "HRP character out of range"],
  ["\x7f1axkwrx", "HRP character out of range"],
  ["\x801eym55h", "HRP character out of range"],
  ["pzry9x0s0muk", "no separator character"],
  ["1pzry9x0s0muk", "empty HRP"],
  ["x1b4n0q5v", "invalid data character"],
  ["li1dgmt3", "too short checksum"],
  ["de1lg7wt\xff", "invalid character in checksum"],
  ["A1G7SGD8", "checksum calculated with uppercase form of HRP"],
  ["10a06t8", "empty HRP"],
  ["1qzzfhee", "empty HRP"],
];
// Left out on purpose: BIP 173's 90-character limit ("an84characters…1569pvx"); age lifts it.

describe("bech32Decode", () => {
  it.each(BIP173_VALID)("accepts the BIP 173 valid string %s", (s) => {
    const { hrp, data } = bech32Decode(s);
    expect(hrp).toBe(s.slice(0, s.lastIndexOf("1")));
    expect(bech32Encode(hrp, data)).toBe(s);
  });

  it.each(BIP173_INVALID)("refuses the BIP 173 invalid string %j (%s)", (s) => {
    expect(isMlatError(thrown(() => bech32Decode(s)), "BECH32_INVALID")).toBe(true);
  });

  it("refuses mixed case", () => {
    expect(thrown(() => bech32Decode("A12uEL5L"))).toMatchObject({ code: "BECH32_INVALID", shortMessage: expect.stringMatching(/mixed case/) });
  });

  it("refuses any single-character change (the checksum detects it)", () => {
    const s = bech32Encode("age", new Uint8Array(32).fill(7));
    const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    for (let i = 4; i < s.length; i++) {
      const other = charset[(charset.indexOf(s[i] as string) + 1) % 32] as string;
      expect(isMlatError(thrown(() => bech32Decode(s.slice(0, i) + other + s.slice(i + 1))), "BECH32_INVALID")).toBe(true);
    }
  });

  it("refuses non-zero padding bits in the data part", () => {
    // One byte is 8 bits = two 5-bit groups with 2 padding bits; set a padding bit and fix the checksum.
    const good = bech32Encode("x", Uint8Array.of(0xff)); // "x1" + "lu" + checksum
    expect(bech32Decode(good).data).toEqual(Uint8Array.of(0xff));
    const reencode = (values: number[]) => {
      // Build a string from raw 5-bit values with a valid checksum through a 5-bit round trip.
      const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
      const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
      const polymod = (v: number[]) => {
        let chk = 1;
        for (const x of v) {
          const top = chk >>> 25;
          chk = ((chk & 0x1ffffff) << 5) ^ x;
          for (let j = 0; j < 5; j++) if ((top >>> j) & 1) chk ^= GEN[j] as number;
        }
        return chk;
      };
      const hrp = [3, 0, 24]; // "x" expanded: [x>>5, 0, x&31]
      const mod = polymod([...hrp, ...values, 0, 0, 0, 0, 0, 0]) ^ 1;
      const checksum = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
      return "x1" + [...values, ...checksum].map((v) => charset[v]).join("");
    };
    expect(reencode([31, 28])).toBe(good);
    expect(isMlatError(thrown(() => bech32Decode(reencode([31, 29]))), "BECH32_INVALID")).toBe(true);
  });

  it("never echoes a secret key in its error", () => {
    const secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
    const e = thrown(() => bech32Decode(secret)) as Error & { details?: string };
    expect(`${e.message} ${e.details}`).not.toContain(secret.slice(16));
  });
});

describe("bech32Encode", () => {
  it("writes in the case of its HRP", () => {
    expect(bech32Encode("AGE-SECRET-KEY-", new Uint8Array(32))).toMatch(/^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]+$/);
    expect(bech32Encode("age", new Uint8Array(32))).toMatch(/^age1[02-9ac-hj-np-z]{58}$/);
  });

  it("refuses a mixed-case or empty HRP", () => {
    expect(isMlatError(thrown(() => bech32Encode("Age", new Uint8Array(1))), "BECH32_INVALID")).toBe(true);
    expect(isMlatError(thrown(() => bech32Encode("", new Uint8Array(1))), "BECH32_INVALID")).toBe(true);
  });
});
