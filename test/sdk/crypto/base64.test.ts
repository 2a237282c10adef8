import { describe, expect, it } from "vitest";
import { decodeBase64Padded, decodeBase64Unpadded, encodeBase64Unpadded } from "../../../sdk/src/crypto/base64";

describe("encodeBase64Unpadded", () => {
  it("encodes the RFC 4648 test vectors without padding", () => {
    const vectors: [string, string][] = [["", ""], ["f", "Zg"], ["fo", "Zm8"], ["foo", "Zm9v"], ["foob", "Zm9vYg"], ["fooba", "Zm9vYmE"], ["foobar", "Zm9vYmFy"]];
    for (const [plain, b64] of vectors) expect(encodeBase64Unpadded(Buffer.from(plain))).toBe(b64);
  });
});

describe("decodeBase64Unpadded", () => {
  it("decodes canonical unpadded base64", () => {
    expect(decodeBase64Unpadded("Zm9vYmE")?.toString()).toBe("fooba");
    expect(decodeBase64Unpadded("")?.length).toBe(0);
  });

  it.each([
    ["padding", "Zm9vYmE="],
    ["non-zero trailing bits", "Zm9vYmF"],
    ["URL-safe alphabet", "-_8"],
    ["whitespace", "Zm9v Yg"],
    ["a newline", "Zm9v\nYg"],
    ["a CR", "Zm9vYg\r"],
    ["an impossible length", "Zm9vY"],
    ["a character outside the alphabet", "Zm9*"],
  ])("refuses %s", (_why, s) => {
    expect(decodeBase64Unpadded(s)).toBeUndefined();
  });
});

describe("decodeBase64Padded", () => {
  it("decodes canonical padded base64 and refuses it unpadded or non-canonical", () => {
    expect(decodeBase64Padded("Zm9vYmE=")?.toString()).toBe("fooba");
    expect(decodeBase64Padded("Zm9vYmE")).toBeUndefined();
    expect(decodeBase64Padded("Zm9vYmF=")).toBeUndefined();
    expect(decodeBase64Padded("Zg=")).toBeUndefined();
  });
});
