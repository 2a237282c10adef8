import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encryptBytes } from "../../../sdk/src/crypto/ageEncrypt";
import { payloadDigest, payloadDigestOfStream, sha256, sha256Stream } from "../../../sdk/src/crypto/digests";
import { generateIdentity } from "../../../sdk/src/crypto/keys";
import { pseudoRandomBytes, readableOf } from "./helpers/bytes";

describe("sha256", () => {
  it("matches the FIPS 180-2 vector for \"abc\"", () => {
    expect(sha256(Buffer.from("abc")).toString("hex")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("sha256Stream", () => {
  it("hashes a stream like the whole buffer, and counts its bytes", async () => {
    const data = pseudoRandomBytes(300_001, 1);
    expect(await sha256Stream(readableOf(data, [1, 4096, 65537]))).toEqual({ sha256: sha256(data), size: data.length });
  });
});

describe("payloadDigest", () => {
  const file = encryptBytes(pseudoRandomBytes(100_000, 2), { recipients: [generateIdentity().recipient] });

  it("is the SHA-256 of the binary age file, as sha256sum prints it", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlat-digest-"));
    try {
      writeFileSync(join(dir, "f.age"), file);
      const printed = spawnSync("sha256sum", [join(dir, "f.age")], { encoding: "utf8" }).stdout.split(" ")[0];
      expect(payloadDigest(file)).toBe(`0x${printed}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is the same computed over a stream", async () => {
    expect(await payloadDigestOfStream(readableOf(file, [777]))).toEqual({ payloadDigest: payloadDigest(file), size: file.length });
    expect(payloadDigest(file)).toBe(`0x${createHash("sha256").update(file).digest("hex")}`);
  });
});
