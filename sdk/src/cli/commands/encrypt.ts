import { pipeline } from "node:stream/promises";
import { createEncryptStream } from "../../crypto/ageEncrypt";
import { parseRecipient } from "../../crypto/keys";
import { parseArgs, single } from "../args";
import { openInput, useFilePath, withOutput, type CliIo } from "../io";
import { encryptFile } from "../../crypto/ageFiles";
import { progressBar } from "../progress";
import { UsageError } from "../usage";

/** `mlat encrypt -r age1… [-r …] [-a] [-o OUT] [IN]`: the age format, streamed in constant memory. */
export async function encryptCommand(argv: readonly string[], io: CliIo): Promise<void> {
  const args = parseArgs(
    argv,
    { options: ["-r", "-o"], switches: ["-a", "-e"], maxPositionals: 1 },
    { "--recipient": "-r", "--output": "-o", "--armor": "-a", "--encrypt": "-e" },
  );
  const recipients = (args.options.get("-r") ?? []).map((r) => parseRecipient(r));
  if (recipients.length === 0) throw new UsageError("encrypt needs at least one -r RECIPIENT");
  const armor = args.switches.has("-a");
  const out = single(args, "-o");
  if (!armor && out === undefined && io.stdout.isTTY) {
    throw new UsageError("refusing to write binary ciphertext to a terminal; use -a or -o");
  }
  const input = openInput(args.positionals[0], io);
  if (useFilePath(input, out, io)) {
    await encryptFile(input.name, out!, { recipients, armor });
    return;
  }
  await withOutput(out, io, (output) =>
    pipeline(input.stream, progressBar("encrypting", input.size, io.stderr), createEncryptStream({ recipients, armor }), output),
  );
}
