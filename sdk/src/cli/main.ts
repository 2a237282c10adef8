import { isMlatError } from "../errors/MlatError";
import type { CliIo } from "./io";
import { FailedCheckError, USAGE, UsageError } from "./usage";

type Command = (argv: readonly string[], io: CliIo) => Promise<void>;

/** Loaded on use: `verify` pulls in the ledger bindings, which the crypto commands should not pay for. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  keygen: async () => (await import("./commands/keygen")).keygen,
  encrypt: async () => (await import("./commands/encrypt")).encryptCommand,
  decrypt: async () => (await import("./commands/decrypt")).decryptCommand,
  digest: async () => (await import("./commands/digest")).digestCommand,
  verify: async () => (await import("./commands/verify")).verifyCommand,
};

/** Error codes that mean "this ciphertext or key did not authenticate": exit 1, not an input error. */
const AUTHENTICATION_FAILURES = new Set(["AGE_HEADER_MAC_MISMATCH", "AGE_PAYLOAD_INVALID", "AGE_NO_IDENTITY_MATCHED"]);

/**
 * Runs `mlat` with `argv` (after the program name) and returns the exit code: 0 ok, 1 verification or
 * authentication failed, 2 usage or input error — with one clear line on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(USAGE + "\n");
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`mlat: unknown command "${name}" (try mlat --help)\n`);
    return 2;
  }
  try {
    const command = await load();
    await command(rest, io);
    return 0;
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    io.stderr.write(`mlat: ${e.message}\n`);
    return 2;
  }
  if (e instanceof FailedCheckError) {
    io.stderr.write(`mlat: ${e.message}\n`);
    return 1;
  }
  if (isMlatError(e)) {
    io.stderr.write(`mlat: ${e.shortMessage}\n`);
    return AUTHENTICATION_FAILURES.has(e.code) ? 1 : 2;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "EPIPE") return 0;
  if (err?.code && typeof err.code === "string" && err.code.startsWith("E")) {
    io.stderr.write(`mlat: ${err.message}\n`);
    return 2;
  }
  io.stderr.write(`mlat: unexpected error: ${err?.message ?? String(e)}\n`);
  return 2;
}
