import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstFreeNonce, signableNonce } from "../../../gateway/src/intents/nonceBook";

const book = (...nonces: number[]) => new Set(nonces.map(BigInt));

describe("firstFreeNonce", () => {
  it("gives the executed count when nothing is held, and the first gap above it otherwise", () => {
    expect(firstFreeNonce(5n, book())).toBe(5n);
    expect(firstFreeNonce(5n, book(5, 6, 8))).toBe(7n);
    // Holds below the executed count (intents mined since the book was read) do not matter.
    expect(firstFreeNonce(5n, book(3, 4))).toBe(5n);
  });
});

describe("signableNonce", () => {
  it("accepts a signature whose every lower nonce down to the executed ones is held, in any order", () => {
    // Intents 5, 6 and 7 prepared together; 7 signed first, then 5, then 6.
    expect(signableNonce(7n, 5n, book(5, 6))).toBe(true);
    expect(signableNonce(5n, 5n, book(6, 7))).toBe(true);
    expect(signableNonce(6n, 5n, book(5, 7))).toBe(true);
  });

  it("refuses a nonce with a free gap below it (a predecessor nobody will sign was given up)", () => {
    expect(signableNonce(7n, 5n, book(6))).toBe(false);
  });

  it("refuses a spent nonce and a nonce another intent holds", () => {
    expect(signableNonce(4n, 5n, book())).toBe(false);
    expect(signableNonce(5n, 5n, book(5))).toBe(false);
  });

  it("agrees with its definition, and the renumbered nonce is always signable (2,000 books)", () => {
    fc.assert(
      fc.property(fc.nat(50), fc.uniqueArray(fc.nat(60), { maxLength: 30 }), fc.nat(70), (executedN, heldN, nonceN) => {
        const executed = BigInt(executedN);
        const held = new Set(heldN.map(BigInt));
        const nonce = BigInt(nonceN);
        let definition = nonce >= executed && !held.has(nonce);
        for (let n = executed; definition && n < nonce; n += 1n) definition = held.has(n);
        expect(signableNonce(nonce, executed, held)).toBe(definition);
        const free = firstFreeNonce(executed, held);
        expect(free >= executed && !held.has(free)).toBe(true);
        expect(signableNonce(free, executed, held)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
