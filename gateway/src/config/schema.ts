import { z } from "zod";
import { StateCode } from "../http/validate";

const privateKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a 0x-prefixed 32-byte hex private key");
const url = z.url();

/**
 * A gateway's configuration: one validated object, from a JSON file or `MLAT_*` environment variables
 * (see docs/operations.md). Secrets (relayer key, age identity, session secret) never appear in logs.
 */
export const GatewayConfigSchema = z.strictObject({
  /** The member state this gateway serves. */
  state: StateCode,
  /** JSON-RPC endpoint of a consortium node. */
  rpcUrl: url,
  /** Path of `deployments/<network>.json`. */
  deploymentFile: z.string().min(1),
  /** The state's GATEWAY account: relays forward requests and anchors audit batches. */
  relayerKey: privateKey,
  /** Path of the state's age identity file (`AGE-SECRET-KEY-1…`). */
  identityFile: z.string().min(1),
  /** `sqlite:<path>` / `sqlite::memory:` or `postgres://…`. */
  storeUrl: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/, "sqlite:<file> or postgres://…"),
  /** PostgreSQL schema to use (lets several gateways share one database); default `public`. */
  storeSchema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).optional(),
  /** Directory of the content-addressed blob store. */
  blobDir: z.string().min(1),
  /**
   * Blobs no record refers to (left by a crash between a blob and its record) and stale temp files are
   * removed once this old (ms): at start-up, once more after this delay, then hourly. Replicas on a shared
   * blob volume need it longer than any write takes to reach its record; 0 suits one gateway alone.
   */
  orphanGraceMs: z.number().int().min(0).max(86_400_000).default(60_000),
  /**
   * How long a claimed outbox job is held by its runner (renewed while it runs): the jobs of a runner that
   * died come back this long after (ms).
   */
  outboxLeaseMs: z.number().int().min(1_000).max(600_000).default(10_000),
  /**
   * How long a finished (`done`) outbox job is kept before it is deleted (ms); pending and dead jobs are
   * never deleted. Checked at start and every quarter of it, at most hourly.
   */
  outboxRetentionMs: z.number().int().min(60_000).max(366 * 86_400_000).default(7 * 86_400_000),
  /**
   * How long a prepared intent nobody has signed yet holds its forwarder nonce (ms): meanwhile the
   * account's later intents may be signed in any order; after it, the next intent takes that nonce.
   */
  intentHoldMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(7100),
  /** Public base URL other gateways reach this one at (default http://host:port). */
  publicUrl: url.optional(),
  /**
   * Gateways this one pushes to and accepts pushes from, by state; default: the URLs the consortium
   * registry publishes. A peer not listed here (when the list is given) is refused.
   */
  peers: z.record(StateCode, url).optional(),
  /** This state's published dossier requirements (`mlat-ledger/requirements/v1`); default: the built-in ones. */
  requirementsFile: z.string().min(1).optional(),
  /** Blocks an event must have on top before it is indexed. */
  confirmations: z.number().int().min(0).max(1000).default(2),
  /** Indexer poll interval. */
  pollIntervalMs: z.number().int().min(10).max(60_000).default(1000),
  /** Audit batches are anchored this often (ms), when there are entries. */
  auditAnchorIntervalMs: z.number().int().min(100).default(60_000),
  /** Session tokens live this long. */
  sessionTtlSeconds: z.number().int().min(30).max(86_400).default(900),
  /** Largest JSON body. */
  jsonLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Largest evidence upload (bytes). */
  uploadLimitBytes: z.number().int().positive().default(64 * 1024 ** 3),
  /** Slow clients: the request line and headers must arrive within this (ms), else 408 and the connection closes. */
  headersTimeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  /**
   * Slow clients: while it is the client's turn (sending a body, reading an answer), no progress for this
   * long (ms) closes the connection (408 when nothing was answered yet). Never a total limit.
   */
  idleTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Slow clients: after the first `idleTimeoutMs`, a request body must average at least this (bytes/s; 0 = no floor). */
  bodyMinBytesPerSecond: z.number().int().min(0).default(1024),
  /** Requests per minute per client address (0 = off). */
  rateLimitPerMinute: z.number().int().min(0).default(6000),
  /** Forward requests relayed in one `executeBatch`. */
  relayBatchSize: z.number().int().min(1).max(200).default(64),
  /** Warn on the event stream this long before a deadline passes. */
  deadlineWarningSeconds: z.number().int().min(0).default(86_400),
  /** `info` logs requests; `warn` only problems; `silent` nothing. */
  logLevel: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

/** A validated gateway configuration. */
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
/** What a caller may give: defaults filled in by validation. */
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
