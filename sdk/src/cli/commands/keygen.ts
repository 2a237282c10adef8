import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { formatIdentityFile, formatRecipient, generateIdentity } from "../../crypto/keys";
import { single, parseArgs } from "../args";
import type { CliIo } from "../io";
import { UsageError } from "../usage";

/**
 * `mlat keygen [-o FILE]`: a new X25519 identity in age-keygen's layout. With -o, the file is created
 * (never overwritten) with mode 0600 and the public key is printed on stderr, as age-keygen does.
 */
export async function keygen(argv: readonly string[], io: CliIo): Promise<void> {
  const args = parseArgs(argv, { options: ["-o"], maxPositionals: 0 }, { "--output": "-o" });
  const out = single(args, "-o");
  const identity = generateIdentity();
  const text = formatIdentityFile(identity);
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  if (existsSync(out)) throw new UsageError(`${out} exists; refusing to overwrite a key file`);
  await writeFile(out, text, { mode: 0o600, flag: "wx" });
  io.stderr.write(`Public key: ${formatRecipient(identity.recipient)}\n`);
}
