import { readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createDecryptStream } from "../../crypto/ageDecrypt";
import { parseIdentityFile, type AgeIdentity } from "../../crypto/keys";
import { parseArgs, single } from "../args";
import { openInput, useFilePath, withOutput, type CliIo } from "../io";
import { decryptFile } from "../../crypto/ageFiles";
import { progressBar } from "../progress";
import { UsageError } from "../usage";

function readIdentities(paths: readonly string[]): AgeIdentity[] {
  return paths.flatMap((p) => {
    let text: string;
    try {
      text = readFileSync(p, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read identity file ${p}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    return parseIdentityFile(text);
  });
}

/**
 * `mlat decrypt -i KEYFILE [-o OUT] [IN]`. With -o, the plaintext appears under OUT only once the whole
 * file authenticated; to standard output, authenticated chunks flow as they are checked (as with age).
 */
export async function decryptCommand(argv: readonly string[], io: CliIo): Promise<void> {
  const args = parseArgs(
    argv,
    { options: ["-i", "-o"], switches: ["-d"], maxPositionals: 1 },
    { "--identity": "-i", "--output": "-o", "--decrypt": "-d" },
  );
  const paths = args.options.get("-i") ?? [];
  if (paths.length === 0) throw new UsageError("decrypt needs at least one -i IDENTITY_FILE");
  const identities = readIdentities(paths);
  const input = openInput(args.positionals[0], io);
  const out = single(args, "-o");
  if (useFilePath(input, out, io)) {
    await decryptFile(input.name, out!, identities);
    return;
  }
  await withOutput(out, io, (output) =>
    pipeline(input.stream, progressBar("decrypting", input.size, io.stderr), createDecryptStream({ identities }), output),
  );
}
