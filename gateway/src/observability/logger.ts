/** Log levels, least to most severe. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

/** Structured JSON-lines logger. Callers pass facts, never payloads, keys or tokens. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Field names whose values are replaced by `[redacted]` whatever a caller passes. */
const SECRET_FIELD = /(key|secret|token|password|authorization|cookie|signature|identity|plaintext)/i;

/**
 * A logger writing one JSON object per line to `write` (stderr by default).
 * @example const log = createLogger("info", { state: "MX" }); log.info("listening", { port });
 */
export function createLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Logger {
  const min = LEVELS[level];
  const at =
    (name: Exclude<LogLevel, "silent">) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (LEVELS[name] < min) return;
      const entry: Record<string, unknown> = { time: new Date().toISOString(), level: name, msg: message, ...base };
      for (const [k, v] of Object.entries(fields)) entry[k] = SECRET_FIELD.test(k) ? "[redacted]" : v;
      write(JSON.stringify(entry, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
