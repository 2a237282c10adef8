import { z } from "zod";
import { MlatError } from "../errors/MlatError";
import type { LedgerEvent } from "../ledger/events";

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "0x and 64 hex digits");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x address");

/** One custody event as carried in a bundle; integers as decimal strings (JSON has no bigint). */
export const BundleEventSchema = z.strictObject({
  name: z.enum(["EvidenceRegistered", "CustodyRecorded"]),
  args: z.record(z.string(), z.string()),
  blockNumber: z.number().int().nonnegative(),
  blockHash: hex32,
  transactionHash: hex32,
  logIndex: z.number().int().nonnegative(),
});

/**
 * A verification bundle (ARCHITECTURE.md, "Off-chain formats"): what a verifier needs to check one evidence
 * item without trusting any gateway — where it is anchored, the plaintext's SHA-256 and salt, the payload
 * digest, and the custody events with their blocks and transactions.
 */
export const VerificationBundleSchema = z.strictObject({
  format: z.literal("mlat-ledger/verification-bundle/v1"),
  chainId: z.number().int().positive(),
  contracts: z.strictObject({ custody: address, requests: address }),
  evidenceId: hex32,
  requestId: hex32,
  plaintextSha256: hex32,
  salt: hex32,
  payloadDigest: hex32,
  contentCommitment: hex32,
  events: z.array(BundleEventSchema).min(1),
});
/** A validated verification bundle. */
export type VerificationBundle = z.infer<typeof VerificationBundleSchema>;
/** One event of a bundle. */
export type BundleEvent = z.infer<typeof BundleEventSchema>;

/**
 * Validates a parsed bundle; a bad one is a typed `INVALID_BUNDLE` error listing every problem.
 * @example const bundle = parseBundle(JSON.parse(await readFile("bundle.json", "utf8")));
 */
export function parseBundle(value: unknown): VerificationBundle {
  const r = VerificationBundleSchema.safeParse(value);
  if (!r.success) {
    throw new MlatError("INVALID_BUNDLE", "not a valid verification bundle", { details: z.prettifyError(r.error) });
  }
  return r.data;
}

const INTEGER_ARGS = new Set(["sequence", "action", "expiresAt"]);

/** A ledger event as a bundle carries it (bigints and numbers become decimal strings). */
export function toBundleEvent(e: LedgerEvent): BundleEvent {
  return {
    name: e.name as BundleEvent["name"],
    args: Object.fromEntries(Object.entries(e.args).map(([k, v]) => [k, String(v)])),
    blockNumber: e.blockNumber,
    blockHash: e.blockHash,
    transactionHash: e.transactionHash,
    logIndex: e.logIndex,
  };
}

/** A bundle's event back as a ledger event (the custody contract's), integers restored. */
export function fromBundleEvent(e: BundleEvent, custody: string): LedgerEvent {
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.args)) args[k] = INTEGER_ARGS.has(k) ? BigInt(v) : v;
  return { contract: "custody", address: custody, ...e, args };
}
