import type { GatewayContext } from "../context";
import type { IntentRow } from "../store/tables";
import { intentTypedData, type IntentTypedData } from "./typedData";

/** An intent as the API shows it: what to sign, and where the call stands. */
export interface IntentView {
  id: string;
  kind: string;
  status: string;
  actor: string;
  requestId: string | null;
  evidenceId: string | null;
  documentDigest: string | null;
  /** Sign this with the actor's key (`eth_signTypedData_v4`), then POST the signature. */
  typedData: IntentTypedData;
  signUrl: string;
  transactionHash: string | null;
  blockNumber: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The API view of an intent. */
export function intentView(ctx: GatewayContext, i: IntentRow): IntentView {
  return {
    id: i.id,
    kind: i.kind,
    status: i.status,
    actor: i.actor,
    requestId: i.request_id,
    evidenceId: i.evidence_id,
    documentDigest: i.document_digest,
    typedData: intentTypedData(i, ctx.chain.deployment.chainId, ctx.chain.deployment.contracts.forwarder),
    signUrl: `/v1/intents/${i.id}/signature`,
    transactionHash: i.tx_hash,
    blockNumber: i.block_number,
    error: i.error,
    createdAt: new Date(i.created_at).toISOString(),
    updatedAt: new Date(i.updated_at).toISOString(),
  };
}
