/** A tiny, strict `--flag value` / `--switch` parser for the project's scripts. */
export interface ArgSpec {
  /** Flags that take a value. */
  values?: readonly string[];
  /** Flags that take none. */
  switches?: readonly string[];
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses `argv` (without node and script) against `spec`; unknown flags are a {UsageError}. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.replace(/^--/, "");
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    if (spec.switches?.includes(name)) out[name] = true;
    else if (spec.values?.includes(name)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
      out[name] = value;
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return out;
}
