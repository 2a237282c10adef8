import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeHeader, encodeHeaderWithoutMac, headerMac, parseHeader, verifyHeaderMac, type AgeStanza } from "../../../sdk/src/crypto/ageHeader";
import { AGE } from "../../../sdk/src/crypto/formats";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { thrown } from "./helpers/bytes";

const fileKey = Buffer.alloc(16, 1);
const stanza = (type: string, args: string[], body: Buffer): AgeStanza => ({ type, args, body });

describe("encodeHeaderWithoutMac", () => {
  it("wraps bodies at 64 columns and always ends a body with a short line", () => {
    const text = encodeHeaderWithoutMac([
      stanza("a", ["b"], Buffer.alloc(0)),
      stanza("c", [], Buffer.alloc(48)),
      stanza("d", ["e", "f"], Buffer.alloc(50)),
    ]).toString("latin1");
    expect(text).toBe(
      "age-encryption.org/v1\n-> a b\n\n-> c\n" + "A".repeat(64) + "\n\n-> d e f\n" + "A".repeat(64) + "\nAAA\n---",
    );
  });

  it("refuses empty or non-printable arguments", () => {
    expect(() => encodeHeaderWithoutMac([stanza("a", [""], Buffer.alloc(0))])).toThrow(RangeError);
    expect(() => encodeHeaderWithoutMac([stanza("a b", [], Buffer.alloc(0))])).toThrow(RangeError);
  });
});

describe("parseHeader", () => {
  const header = encodeHeader(fileKey, [stanza("X25519", ["share"], randomBytes(32)), stanza("other", ["x", "y"], randomBytes(100))]);
  const file = Buffer.concat([header, randomBytes(40)]);

  it("parses what encodeHeader writes, and says where the payload starts", () => {
    const parsed = parseHeader(file)!;
    expect(parsed.size).toBe(header.length);
    expect(parsed.header.stanzas.map((s) => [s.type, s.args])).toEqual([["X25519", ["share"]], ["other", ["x", "y"]]]);
    expect(verifyHeaderMac(fileKey, parsed.header)).toBe(true);
    expect(verifyHeaderMac(Buffer.alloc(16, 2), parsed.header)).toBe(false);
  });

  it("asks for more bytes while the header is incomplete, at every cut", () => {
    for (let cut = 0; cut < header.length; cut++) expect(parseHeader(file.subarray(0, cut))).toBeUndefined();
    expect(parseHeader(file.subarray(0, header.length))?.size).toBe(header.length);
  });

  it("refuses a wrong version line as soon as it differs", () => {
    expect(isMlatError(thrown(() => parseHeader(Buffer.from("age-encryption.org/v2\n"))), "AGE_HEADER_INVALID")).toBe(true);
    expect(isMlatError(thrown(() => parseHeader(Buffer.from("PK\x03\x04"))), "AGE_HEADER_INVALID")).toBe(true);
  });

  it("refuses a header larger than the limit, before it is complete", () => {
    const big = Buffer.concat([Buffer.from(`${AGE.versionLine}\n-> a\n`), Buffer.alloc(2048, "A")]);
    expect(thrown(() => parseHeader(big, 1024))).toMatchObject({ code: "AGE_HEADER_INVALID", shortMessage: expect.stringMatching(/larger than 1024/) });
    const complete = encodeHeader(fileKey, Array.from({ length: 20 }, () => stanza("x", [], randomBytes(40))));
    expect(isMlatError(thrown(() => parseHeader(complete, complete.length - 1)), "AGE_HEADER_INVALID")).toBe(true);
    expect(parseHeader(complete, complete.length)?.size).toBe(complete.length);
  });

  it("refuses a header without stanzas", () => {
    const h = Buffer.concat([encodeHeaderWithoutMac([]), Buffer.from(" " + "A".repeat(43) + "\n")]);
    expect(thrown(() => parseHeader(h))).toMatchObject({ code: "AGE_HEADER_INVALID", shortMessage: expect.stringMatching(/no recipient stanza/) });
  });

  it.each([
    ["a MAC line without its space", (h: string) => h.replace(/--- (\S+)\n$/, "---$1\n")],
    ["a MAC line with two spaces", (h: string) => h.replace(/--- /, "---  ")],
    ["a MAC line with a trailing space", (h: string) => h.replace(/\n$/, " \n")],
    ["a truncated MAC", (h: string) => h.replace(/\S\n$/, "\n")],
    ["a stanza line without arguments", (h: string) => h.replace("-> other x y", "->")],
    ["a doubled space between arguments", (h: string) => h.replace("-> other x y", "-> other  x y")],
    ["a CR at the end of a line", (h: string) => h.replace("-> other x y\n", "-> other x y\r\n")],
    ["a non-ASCII argument", (h: string) => h.replace("-> other x y", "-> other x \u00ff")],
  ])("refuses %s", (_why, edit) => {
    const bad = Buffer.from(edit(header.toString("latin1")), "latin1");
    expect(isMlatError(thrown(() => parseHeader(bad)), "AGE_HEADER_INVALID")).toBe(true);
  });
});

describe("headerMac", () => {
  it("is HMAC-SHA256 under HKDF(file key, empty salt, \"header\")", async () => {
    const { createHmac, hkdfSync } = await import("node:crypto");
    const input = encodeHeaderWithoutMac([stanza("a", [], Buffer.alloc(3))]);
    const key = Buffer.from(hkdfSync("sha256", fileKey, Buffer.alloc(0), "header", 32));
    expect(headerMac(fileKey, input)).toEqual(createHmac("sha256", key).update(input).digest());
  });
});
