import { UsageError } from "./usage";

/** Parsed command-line flags: repeatable options collect every value. */
export interface ParsedArgs {
  options: Map<string, string[]>;
  switches: Set<string>;
  positionals: string[];
}

/** What a subcommand accepts: options with a value (short `-r` or long `--salt`), and switches. */
export interface ArgSpec {
  options: readonly string[];
  switches?: readonly string[];
  /** Longest number of positional arguments. */
  maxPositionals: number;
}

/**
 * Parses `argv` like age does: `-r X`, `--recipient X` and `--recipient=X`; `-` alone is a positional
 * (standard input); `--` ends the flags.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec, aliases: Record<string, string> = {}): ParsedArgs {
  const out: ParsedArgs = { options: new Map(), switches: new Set(), positionals: [] };
  let flags = true;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (flags && raw === "--") {
      flags = false;
      continue;
    }
    if (!flags || !raw.startsWith("-") || raw === "-") {
      out.positionals.push(raw);
      continue;
    }
    const eq = raw.indexOf("=");
    const given = eq > 0 ? raw.slice(0, eq) : raw;
    const name = aliases[given] ?? given;
    if (spec.switches?.includes(name)) {
      if (eq > 0) throw new UsageError(`${given} takes no value`);
      out.switches.add(name);
    } else if (spec.options.includes(name)) {
      const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${given} needs a value`);
      out.options.set(name, [...(out.options.get(name) ?? []), value]);
    } else {
      throw new UsageError(`unknown flag ${given}`);
    }
  }
  if (out.positionals.length > spec.maxPositionals) {
    throw new UsageError(`unexpected argument ${out.positionals[spec.maxPositionals]}`);
  }
  return out;
}

/** The single value of an option, or undefined; more than one is a usage error. */
export function single(args: ParsedArgs, name: string): string | undefined {
  const values = args.options.get(name);
  if (!values) return undefined;
  if (values.length > 1) throw new UsageError(`${name} given more than once`);
  return values[0];
}
