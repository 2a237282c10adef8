/**
 * One measured operation of `scripts/bench/crypto.ts`, run in its own process (so its peak RSS is its
 * own). It imports the SDK's crypto layer only; the parent runs it compiled to JavaScript, as the SDK
 * ships, so the figures carry no TypeScript-compiler overhead.
 *
 *   node cryptoChild.js <operation> <in> <out> <key file>
 *
 * Prints one JSON line: { "seconds", "maxRssKiB" } (time measured around the operation only).
 */
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createDecryptStream, decrypt } from "../../sdk/src/crypto/ageDecrypt";
import { createEncryptStream, encrypt } from "../../sdk/src/crypto/ageEncrypt";
import { decryptFile, encryptFile } from "../../sdk/src/crypto/ageFiles";
import { parseIdentityFile } from "../../sdk/src/crypto/keys";
import { sealPayload } from "../../sdk/src/crypto/sealPayload";
import { contentCommitment, randomSalt } from "../../sdk/src/crypto/commitment";
import { fileFacts } from "../../sdk/src/verify/fileFacts";

const READ = { highWaterMark: 1024 * 1024 };

async function main(): Promise<void> {
  const [operation, input, output, keyFile] = process.argv.slice(2) as [string, string, string, string];
  const identities = parseIdentityFile(readFileSync(keyFile, "utf8"));
  const recipients = identities.map((i) => i.recipient);
  const start = process.hrtime.bigint();
  switch (operation) {
    case "encrypt-file":
      await encryptFile(input, output, { recipients, fsync: false });
      break;
    case "decrypt-file":
      await decryptFile(input, output, identities, { fsync: false });
      break;
    case "decrypt-file-fsync":
      await decryptFile(input, output, identities);
      break;
    case "encrypt-stream":
      await encrypt(createReadStream(input, READ), createWriteStream(output), { recipients });
      break;
    case "decrypt-stream":
      await decrypt(createReadStream(input, READ), createWriteStream(output), { identities });
      break;
    case "encrypt-transform":
      await pipeline(createReadStream(input, READ), createEncryptStream({ recipients }), createWriteStream(output));
      break;
    case "decrypt-transform":
      await pipeline(createReadStream(input, READ), createDecryptStream({ identities }), createWriteStream(output));
      break;
    case "seal-stream":
      await sealPayload(createReadStream(input, READ), createWriteStream(output), { recipients });
      break;
    case "verify-plaintext":
      // What verifyEvidence does with the file before the (small) chain reads: one pass, then the commitment.
      contentCommitment((await fileFacts(input)).sha256, randomSalt());
      break;
    case "verify-age":
      await fileFacts(input);
      break;
    default:
      throw new Error(`unknown operation ${operation}`);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS }) + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
