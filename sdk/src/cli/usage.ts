/** The `mlat` command line: usage text and the errors that map to exit codes. */
export const USAGE = `mlat — MLAT Ledger command line

Usage:
  mlat keygen [-o OUTPUT]
  mlat encrypt (-r RECIPIENT)... [-a] [-o OUTPUT] [INPUT]
  mlat decrypt -i IDENTITY_FILE [-o OUTPUT] [INPUT]
  mlat digest FILE [--salt HEX]
  mlat verify FILE (--bundle BUNDLE.json | --evidence ID --rpc URL --deployment FILE) [--salt HEX] [--json]

Without INPUT, read standard input; without -o, write standard output. Keys and files are the age
format (age-encryption.org/v1): the stock \`age\` tool opens what mlat writes, and the other way round.

Exit codes: 0 ok, 1 verification or authentication failed, 2 usage or input error.`;

/** A usage or input problem: exit code 2, one line on stderr. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failed verification or authentication: exit code 1. */
export class FailedCheckError extends Error {
  override readonly name = "FailedCheckError";
}
