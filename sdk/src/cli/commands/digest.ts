import { createReadStream } from "node:fs";
import { contentCommitment } from "../../crypto/commitment";
import { sha256Stream } from "../../crypto/digests";
import { parseArgs, single } from "../args";
import { openInput, type CliIo } from "../io";
import { progressBar } from "../progress";
import { UsageError } from "../usage";

/**
 * `mlat digest FILE [--salt HEX]`: the file's SHA-256 (as `sha256sum` prints it), and with a salt its
 * content commitment SHA-256("mlat-ledger/content/v1" ‖ salt ‖ SHA-256(file)).
 */
export async function digestCommand(argv: readonly string[], io: CliIo): Promise<void> {
  const args = parseArgs(argv, { options: ["--salt"], maxPositionals: 1 });
  const path = args.positionals[0];
  if (path === undefined) throw new UsageError("digest needs a FILE");
  const salt = single(args, "--salt");
  if (salt !== undefined && !/^(0x)?[0-9a-fA-F]{64}$/.test(salt)) throw new UsageError("--salt takes 32 bytes of hex");
  const input = openInput(path, io);
  const stream = input.stream === io.stdin ? io.stdin : createReadStream(path, { highWaterMark: 1024 * 1024 });
  const { sha256 } = await sha256Stream(stream.pipe(progressBar("hashing", input.size, io.stderr)));
  const hex = sha256.toString("hex");
  io.stdout.write(`${hex}  ${path}\n`);
  if (salt !== undefined) io.stdout.write(`content commitment: ${contentCommitment(sha256, salt)}\n`);
}
