import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../sdk/src/crypto/canonicalJson";

describe("canonicalJson", () => {
  it("sorts keys by UTF-16 code units at every level, without whitespace", () => {
    // RFC 8785 §3.2.3 sorting example, reduced to the key order.
    const value = { "\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5, "\u0080": 6, "\u00f6": 7 };
    expect(canonicalJson(value)).toBe('{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}');
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: true })).toBe('{"a":true,"b":[{"c":null,"d":1}]}');
  });

  it("escapes strings as JSON.stringify does (RFC 8785 §3.2.2.2)", () => {
    expect(canonicalJson("\u0000\u001f\"\\\u2028/é")).toBe('"\\u0000\\u001f\\"\\\\\u2028/é"');
  });

  it.each([
    ["a fraction", 1.5],
    ["an unsafe integer", 2 ** 53],
    ["NaN", Number.NaN],
    ["undefined", undefined],
    ["a nested undefined", { a: undefined }],
    ["a Date", new Date(0)],
    ["a bigint", 1n],
    ["a function", () => 1],
  ])("refuses %s", (_why, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it("refuses cycles but not shared subtrees", () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });
});
