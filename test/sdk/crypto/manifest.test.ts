import { describe, expect, it } from "vitest";
import { encryptBytes } from "../../../sdk/src/crypto/ageEncrypt";
import { payloadDigest } from "../../../sdk/src/crypto/digests";
import { generateIdentity } from "../../../sdk/src/crypto/keys";
import {
  decryptManifest,
  deserializeManifest,
  encryptManifest,
  manifestFor,
  parseManifest,
  serializeManifest,
  type Manifest,
} from "../../../sdk/src/crypto/manifest";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { thrown } from "./helpers/bytes";

const state = generateIdentity();
const manifest: Manifest = {
  version: 1,
  fileName: "witness-statement.pdf",
  mediaType: "application/pdf",
  size: 123456,
  sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  salt: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
  description: "Statement of witness B., 3 pages\nsigned",
  collectedBy: "ES / Policía Nacional, UDEF",
  collectedAt: "2025-03-01T10:00:00Z",
  requestId: `0x${"ab".repeat(32)}`,
};

describe("serializeManifest", () => {
  it("writes canonical JSON: sorted keys, no whitespace, UTF-8", () => {
    expect(serializeManifest(manifest).toString("utf8")).toBe(
      '{"collectedAt":"2025-03-01T10:00:00Z","collectedBy":"ES / Policía Nacional, UDEF",' +
        '"description":"Statement of witness B., 3 pages\\nsigned","fileName":"witness-statement.pdf",' +
        '"mediaType":"application/pdf","requestId":"0x' + "ab".repeat(32) + '",' +
        '"salt":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",' +
        '"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","size":123456,"version":1}',
    );
  });

  it("gives the same bytes whatever the key order of the input", () => {
    const shuffled = Object.fromEntries(Object.entries(manifest).reverse()) as Manifest;
    expect(serializeManifest(shuffled)).toEqual(serializeManifest(manifest));
  });
});

describe("parseManifest", () => {
  it.each([
    ["an unknown key", { ...manifest, extra: 1 }],
    ["another version", { ...manifest, version: 2 }],
    ["a path as file name", { ...manifest, fileName: "../etc/passwd" }],
    ["a control character in the file name", { ...manifest, fileName: "a\u0000b" }],
    ["a bad media type", { ...manifest, mediaType: "pdf" }],
    ["a negative size", { ...manifest, size: -1 }],
    ["a fractional size", { ...manifest, size: 1.5 }],
    ["upper-case hex", { ...manifest, sha256: manifest.sha256.toUpperCase() }],
    ["a short salt", { ...manifest, salt: "00" }],
    ["a local time", { ...manifest, collectedAt: "2025-03-01T10:00:00+01:00" }],
    ["a date without time", { ...manifest, collectedAt: "2025-03-01" }],
    ["a request id without 0x", { ...manifest, requestId: "ab".repeat(32) }],
    ["an empty collector", { ...manifest, collectedBy: "" }],
    ["a missing field", (({ description: _d, ...rest }) => rest)(manifest)],
  ])("refuses %s, saying where", (_why, value) => {
    const e = thrown(() => parseManifest(value));
    expect(isMlatError(e, "MANIFEST_INVALID")).toBe(true);
    expect((e as { details?: string }).details).toMatch(/→ at \w+|Unrecognized key/);
  });

  it("accepts media type parameters and an empty description", () => {
    expect(parseManifest({ ...manifest, mediaType: "text/plain; charset=utf-8", description: "" }).mediaType).toBe("text/plain; charset=utf-8");
  });
});

describe("manifestFor", () => {
  it("fills the digest fields from a sealed payload", () => {
    const m = manifestFor(
      { plaintextSha256: manifest.sha256, plaintextSize: manifest.size, salt: manifest.salt },
      { fileName: manifest.fileName, mediaType: manifest.mediaType, description: manifest.description, collectedBy: manifest.collectedBy, collectedAt: manifest.collectedAt, requestId: manifest.requestId },
    );
    expect(m).toEqual(manifest);
  });
});

describe("deserializeManifest", () => {
  it("inverts serializeManifest", () => {
    expect(deserializeManifest(serializeManifest(manifest))).toEqual(manifest);
  });

  it.each([
    ["pretty-printed JSON", () => Buffer.from(JSON.stringify(manifest, null, 2))],
    ["unsorted keys", () => Buffer.from(JSON.stringify(manifest))],
    ["invalid UTF-8", () => Buffer.concat([serializeManifest(manifest).subarray(0, 10), Buffer.from([0xff])])],
    ["a BOM", () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), serializeManifest(manifest)])],
    ["more than 64 KiB", () => Buffer.alloc(64 * 1024 + 1, 0x20)],
  ])("refuses %s", (_why, bytes) => {
    expect(isMlatError(thrown(() => deserializeManifest(bytes())), "MANIFEST_INVALID")).toBe(true);
  });
});

describe("encryptManifest / decryptManifest", () => {
  it("round-trip, the digest being the SHA-256 of the age file", () => {
    const { file, manifestDigest } = encryptManifest(manifest, { recipients: [state.recipient] });
    expect(manifestDigest).toBe(payloadDigest(file));
    expect(decryptManifest(file, { identities: [state] })).toEqual(manifest);
  });

  it("validate on the way in", () => {
    expect(isMlatError(thrown(() => encryptManifest({ ...manifest, size: -5 }, { recipients: [state.recipient] })), "MANIFEST_INVALID")).toBe(true);
  });

  it("validate on the way out, and stop at the size limit", () => {
    const notAManifest = encryptBytes(Buffer.from('{"hello":"world"}'), { recipients: [state.recipient] });
    expect(isMlatError(thrown(() => decryptManifest(notAManifest, { identities: [state] })), "MANIFEST_INVALID")).toBe(true);
    const huge = encryptBytes(Buffer.alloc(200 * 1024, 0x20), { recipients: [state.recipient] });
    expect(thrown(() => decryptManifest(huge, { identities: [state] }))).toMatchObject({ code: "MANIFEST_INVALID", shortMessage: expect.stringMatching(/larger than/) });
  });

  it("pass decryption errors through, typed", () => {
    const { file } = encryptManifest(manifest, { recipients: [state.recipient] });
    expect(isMlatError(thrown(() => decryptManifest(file, { identities: [generateIdentity()] })), "AGE_NO_IDENTITY_MATCHED")).toBe(true);
  });
});
