import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AGE, AGE_ARMOR, AGE_BECH32, CONTENT_COMMITMENT, MANIFEST } from "../../../sdk/src/crypto/formats";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("formats", () => {
  it("hold the sizes of the age spec", () => {
    expect(AGE.encryptedChunkSize).toBe(AGE.chunkSize + AGE.tagSize);
    expect([AGE.fileKeySize, AGE.payloadNonceSize, AGE.chunkSize, AGE.macSize]).toEqual([16, 16, 65536, 32]);
    expect(AGE_ARMOR.columns).toBe(AGE.stanzaColumns);
  });

  it("are the only place the format strings are written in the crypto layer's code", () => {
    // Comments may name a format; code may not spell one out. (Scope: sdk/src/crypto. The rest of the SDK
    // belongs to other modules; widening the scope is one line.)
    const strings = [AGE.versionLine, AGE.x25519Label, AGE_ARMOR.begin, AGE_ARMOR.end, `"${AGE_BECH32.identityHrp}"`, CONTENT_COMMITMENT.domain, MANIFEST.mediaType];
    const offenders = sources(join("sdk", "src", "crypto"))
      .filter((f) => !f.endsWith(join("crypto", "formats.ts")))
      .flatMap((f) => {
        const code = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
        return strings.filter((s) => code.includes(s)).map((s) => `${f}: ${s}`);
      });
    expect(offenders).toEqual([]);
  });
});
