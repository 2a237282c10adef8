import type { LedgerClient } from "../ledger/client";
import { evidenceEvents } from "../ledger/timeline";
import { MlatError } from "../errors/MlatError";
import { bytesOfSize, toHex } from "../crypto/hex";
import { toBundleEvent, type VerificationBundle } from "./bundle";

/**
 * Builds the verification bundle of an evidence item from the chain, given the plaintext's SHA-256 and
 * the salt (both from the item's manifest).
 * @example const bundle = await createVerificationBundle(client, evidenceId, { plaintextSha256, salt });
 */
export async function createVerificationBundle(
  client: LedgerClient,
  evidenceId: string,
  secrets: { plaintextSha256: string; salt: string },
): Promise<VerificationBundle> {
  const events = await evidenceEvents(client, evidenceId);
  const registration = events.find((e) => e.name === "EvidenceRegistered");
  if (!registration) throw new MlatError("EVIDENCE_UNKNOWN", `evidence ${evidenceId} is not registered in this deployment`);
  const stored = await client.contracts.custody.evidence(evidenceId);
  return {
    format: "mlat-ledger/verification-bundle/v1",
    chainId: client.deployment.chainId,
    contracts: { custody: client.deployment.contracts.custody, requests: client.deployment.contracts.requests },
    evidenceId,
    requestId: String(registration.args.requestId),
    plaintextSha256: toHex(bytesOfSize(secrets.plaintextSha256, 32, "the plaintext SHA-256")),
    salt: toHex(bytesOfSize(secrets.salt, 32, "the salt")),
    payloadDigest: stored.payloadDigest,
    contentCommitment: stored.contentCommitment,
    events: events.map(toBundleEvent),
  };
}
