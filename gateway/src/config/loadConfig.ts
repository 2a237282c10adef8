import { readFileSync } from "node:fs";
import { z } from "zod";
import { GatewayError } from "../http/errors";
import { GatewayConfigSchema, type GatewayConfig } from "./schema";

/** Environment variable of each configuration key (`MLAT_STATE`, `MLAT_RPC_URL`, …). */
export const CONFIG_ENV: Record<keyof GatewayConfig, string> = {
  state: "MLAT_STATE",
  rpcUrl: "MLAT_RPC_URL",
  deploymentFile: "MLAT_DEPLOYMENT",
  relayerKey: "MLAT_RELAYER_KEY",
  identityFile: "MLAT_IDENTITY_FILE",
  storeUrl: "MLAT_STORE_URL",
  storeSchema: "MLAT_STORE_SCHEMA",
  blobDir: "MLAT_BLOB_DIR",
  orphanGraceMs: "MLAT_ORPHAN_GRACE_MS",
  outboxLeaseMs: "MLAT_OUTBOX_LEASE_MS",
  outboxRetentionMs: "MLAT_OUTBOX_RETENTION_MS",
  intentHoldMs: "MLAT_INTENT_HOLD_MS",
  host: "MLAT_HOST",
  port: "MLAT_PORT",
  publicUrl: "MLAT_PUBLIC_URL",
  peers: "MLAT_PEERS",
  requirementsFile: "MLAT_REQUIREMENTS_FILE",
  confirmations: "MLAT_CONFIRMATIONS",
  pollIntervalMs: "MLAT_POLL_INTERVAL_MS",
  auditAnchorIntervalMs: "MLAT_AUDIT_ANCHOR_INTERVAL_MS",
  sessionTtlSeconds: "MLAT_SESSION_TTL_SECONDS",
  jsonLimitBytes: "MLAT_JSON_LIMIT_BYTES",
  uploadLimitBytes: "MLAT_UPLOAD_LIMIT_BYTES",
  headersTimeoutMs: "MLAT_HEADERS_TIMEOUT_MS",
  idleTimeoutMs: "MLAT_IDLE_TIMEOUT_MS",
  bodyMinBytesPerSecond: "MLAT_BODY_MIN_BYTES_PER_SECOND",
  rateLimitPerMinute: "MLAT_RATE_LIMIT_PER_MINUTE",
  relayBatchSize: "MLAT_RELAY_BATCH_SIZE",
  deadlineWarningSeconds: "MLAT_DEADLINE_WARNING_SECONDS",
  logLevel: "MLAT_LOG_LEVEL",
};

const NUMERIC = new Set<keyof GatewayConfig>([
  "port",
  "orphanGraceMs",
  "outboxLeaseMs",
  "outboxRetentionMs",
  "intentHoldMs",
  "confirmations",
  "pollIntervalMs",
  "auditAnchorIntervalMs",
  "sessionTtlSeconds",
  "jsonLimitBytes",
  "uploadLimitBytes",
  "headersTimeoutMs",
  "idleTimeoutMs",
  "bodyMinBytesPerSecond",
  "rateLimitPerMinute",
  "relayBatchSize",
  "deadlineWarningSeconds",
]);

/** Reads the `MLAT_*` variables into a raw configuration object (numbers and the peer map parsed). */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(CONFIG_ENV) as [keyof GatewayConfig, string][]) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if (NUMERIC.has(key)) raw[key] = /^-?\d+$/.test(value) ? Number(value) : value;
    else if (key === "peers") raw[key] = parsePeers(value);
    else raw[key] = value;
  }
  return raw;
}

/** `US=http://a,MX=http://b` → `{ US: "http://a", MX: "http://b" }`. */
function parsePeers(value: string): Record<string, string> {
  return Object.fromEntries(
    value.split(",").map((pair) => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
}

/**
 * Validates a configuration, naming every bad key in one error.
 * @example const config = parseConfig({ ...JSON.parse(file), ...configFromEnv(process.env) });
 */
export function parseConfig(raw: unknown, source = "configuration"): GatewayConfig {
  const result = GatewayConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = i.path.join(".") || "(root)";
      const env = CONFIG_ENV[i.path[0] as keyof GatewayConfig];
      const name = env ? `${key} (${env})` : key;
      return /received undefined/.test(i.message) ? `${name} is required` : `${name}: ${i.message}`;
    });
    throw new GatewayError("CONFIG_INVALID", `${source} is invalid: ${lines.join("; ")}`, {
      details: z.prettifyError(result.error),
    });
  }
  return result.data;
}

/**
 * Loads the configuration: the JSON file (if any) overlaid by `MLAT_*` environment variables.
 * @example const config = loadConfig(process.argv[2], process.env);
 */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  let fromFile: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (cause) {
      throw new GatewayError("CONFIG_INVALID", `cannot read configuration file ${file}`, { cause });
    }
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>;
    } catch (cause) {
      throw new GatewayError("CONFIG_INVALID", `configuration file ${file} is not JSON`, { cause });
    }
  }
  return parseConfig({ ...fromFile, ...configFromEnv(env) }, file ?? "the environment");
}
