import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { sha256Stream } from "../crypto/digests";
import { createArmorDecodeStream, looksArmored } from "../crypto/armor";
import { AGE } from "../crypto/formats";
import { MlatError } from "../errors/MlatError";

/** What a verifier learns from the file alone, in one read. */
export interface FileFacts {
  path: string;
  sha256: string;
  size: number;
  /** An age file (binary or armored) is the encrypted payload; anything else is taken as the plaintext. */
  kind: "plaintext" | "age";
}

/** SHA-256, size and kind of a file, read once in constant memory. */
export async function fileFacts(path: string): Promise<FileFacts> {
  let head: Buffer;
  try {
    const h = await open(path, "r");
    try {
      head = Buffer.alloc(64);
      const { bytesRead } = await h.read(head, 0, 64, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await h.close();
    }
  } catch (cause) {
    throw new MlatError("INVALID_INPUT", `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
  const binaryAge = head.subarray(0, AGE.versionLine.length + 1).toString("latin1") === AGE.versionLine + "\n";
  const armored = looksArmored(head) === true && head.toString("latin1").includes("BEGIN AGE ENCRYPTED FILE");
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  // The payload digest is over the binary age file: an armored one is hashed after decoding its armor.
  const { sha256, size } = await sha256Stream(armored ? input.pipe(createArmorDecodeStream()) : input);
  return { path, sha256: "0x" + sha256.toString("hex"), size, kind: binaryAge || armored ? "age" : "plaintext" };
}
