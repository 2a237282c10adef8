import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { armorDecode, armorEncode, createArmorDecodeStream, createArmorEncodeStream, looksArmored } from "../../../sdk/src/crypto/armor";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { pseudoRandomBytes, readableOf, rejected, sink, thrown } from "./helpers/bytes";

const BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
const END = "-----END AGE ENCRYPTED FILE-----";

describe("armorEncode", () => {
  it("writes 64-column padded base64 between the BEGIN and END lines", () => {
    const data = pseudoRandomBytes(100, 1);
    const b64 = data.toString("base64");
    expect(armorEncode(data)).toBe(`${BEGIN}\n${b64.slice(0, 64)}\n${b64.slice(64, 128)}\n${b64.slice(128)}\n${END}\n`);
  });

  it("ends with a full line when the data fills it, and writes no data line for nothing", () => {
    expect(armorEncode(pseudoRandomBytes(96, 2)).split("\n").map((l) => l.length)).toEqual([34, 64, 64, 32, 0]);
    expect(armorEncode(Buffer.alloc(0))).toBe(`${BEGIN}\n${END}\n`);
  });
});

describe("armorDecode", () => {
  it("inverts armorEncode for every size around line boundaries", () => {
    for (let size = 0; size < 200; size++) {
      const data = pseudoRandomBytes(size, size);
      expect(armorDecode(armorEncode(data))).toEqual(data);
    }
  });

  it("accepts CRLF, surrounding whitespace and a missing final newline", () => {
    const data = pseudoRandomBytes(150, 3);
    const text = armorEncode(data);
    expect(armorDecode(text.replaceAll("\n", "\r\n"))).toEqual(data);
    expect(armorDecode(`\n \t\r\n${text}\n\n  `)).toEqual(data);
    expect(armorDecode(text.trimEnd())).toEqual(data);
  });

  it.each([
    ["whitespace before BEGIN on its line", (t: string) => "  " + t],
    ["too much leading whitespace", (t: string) => "\n".repeat(1025) + t],
    ["too much trailing whitespace", (t: string) => t + " ".repeat(1025)],
    ["garbage after END", (t: string) => t + "x\n"],
    ["a missing END line", (t: string) => t.replace(`${END}\n`, "")],
    ["a short line in the middle", (t: string) => t.replace(/\n([A-Za-z0-9+/]{64})\n/, (_m, l: string) => `\n${l.slice(0, 60)}\n${l.slice(60)}\n`)],
    ["an empty line", (t: string) => t.replace(`${BEGIN}\n`, `${BEGIN}\n\n`)],
    ["a space at the end of a line", (t: string) => t.replace(/\n([A-Za-z0-9+/]{64})\n/, "\n$1 \n")],
    ["a lone CR inside a line", (t: string) => t.replace(/\n([A-Za-z0-9+/]{10})/, "\n$1\r")],
    ["a line over 64 columns", (t: string) => t.replace(/\n([A-Za-z0-9+/]{64})\n([A-Za-z0-9+/]{4})/, "\n$1$2\n")],
    ["missing padding", (t: string) => t.replace(/=+\n/, "\n")],
    ["a lower-case BEGIN", (t: string) => t.replace("BEGIN AGE", "BEGIN age")],
  ])("refuses %s", (_why, edit) => {
    const text = edit(armorEncode(pseudoRandomBytes(130, 4)));
    expect(isMlatError(thrown(() => armorDecode(text)), "AGE_ARMOR_INVALID")).toBe(true);
  });

  it.each(["-", "_", "=", "*", " ", "\r", "\u00e9"])("refuses %j inside a full line, in any position", (c) => {
    const text = armorEncode(pseudoRandomBytes(48 * 5 + 10, 6));
    const lines = text.split("\n");
    for (const col of [0, 17, 62]) {
      const edited = [...lines];
      const line = edited[2] as string;
      edited[2] = line.slice(0, col) + c + line.slice(col + 1);
      expect(isMlatError(thrown(() => armorDecode(edited.join("\n"))), "AGE_ARMOR_INVALID")).toBe(true);
    }
  });

  it("refuses non-ASCII text", () => {
    expect(isMlatError(thrown(() => armorDecode(`${BEGIN}\nŁŁŁŁ\n${END}\n`)), "AGE_ARMOR_INVALID")).toBe(true);
  });
});

describe("createArmorEncodeStream / createArmorDecodeStream", () => {
  it("round-trip through streams cut at odd places", async () => {
    const data = pseudoRandomBytes(10_000, 5);
    const armored = sink();
    await pipeline(readableOf(data, [1, 47, 48, 49, 1000]), createArmorEncodeStream(), armored);
    expect(armored.data().toString("latin1")).toBe(armorEncode(data));
    const back = sink();
    await pipeline(readableOf(armored.data(), [1, 63, 64, 65, 66, 3]), createArmorDecodeStream(), back);
    expect(back.data()).toEqual(data);
  });

  it("fail the pipeline with a typed error", async () => {
    const e = await rejected(pipeline(readableOf(Buffer.from(`${BEGIN}\n*\n${END}\n`)), createArmorDecodeStream(), sink()));
    expect(isMlatError(e, "AGE_ARMOR_INVALID")).toBe(true);
  });
});

describe("looksArmored", () => {
  it("looks past whitespace at the first byte", () => {
    expect(looksArmored(Buffer.from(" \n-----BEGIN"))).toBe(true);
    expect(looksArmored(Buffer.from("age-encryption.org/v1\n"))).toBe(false);
    expect(looksArmored(Buffer.from(" \n "))).toBeUndefined();
  });
});
