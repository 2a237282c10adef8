import { recordAudit } from "../audit/record";
import type { StateDirectory } from "../chain/stateDirectory";
import type { GatewayContext } from "../context";
import { discardOnFailure, recordDocument, sealJson, type SealedDocument } from "../documents/documents";
import { GatewayError } from "../http/errors";
import { prepareIntent, type Actor } from "../intents/prepare";
import type { IntentRow } from "../store/tables";
import type { CustodyActionSpec } from "./custodyActions";
import type { EvidenceRecord } from "./visibility";

const ZERO = "0x" + "00".repeat(32);

/** What a custody step answers: the document anchored with it (if any) and the intent to sign. */
export interface CustodyStep {
  evidenceId: string;
  documentDigest: string | null;
  intent: IntentRow;
}

/**
 * Takes a custody step for `actor`: checks early that this state is the party the step needs, seals the
 * step's document (if any) to this state and the states concerned, and prepares the ledger call with the
 * document and an audit entry in one transaction.
 * @example await takeCustodyStep(ctx, directory, actor, CUSTODY_ACTIONS[0], record, { toState: "US" });
 */
export async function takeCustodyStep<B extends { document?: Record<string, unknown> }>(
  ctx: GatewayContext,
  directory: StateDirectory,
  actor: Actor,
  action: CustodyActionSpec,
  record: EvidenceRecord,
  body: B,
): Promise<CustodyStep> {
  const state = ctx.config.state;
  const e = record.evidence;
  const party = action.party === "custodian" ? e.custodian_state : e.offer_to_state;
  if (party !== state) {
    const who = action.party === "custodian" ? "the current custodian's state" : "the state the pending offer names";
    throw new GatewayError("FORBIDDEN", `only ${who} may ${action.path.replaceAll("-", " ")} evidence ${e.evidence_id}`);
  }
  const doc = body.document ? await sealFor(ctx, directory, body.document, action.readers(record, body)) : undefined;
  return discardOnFailure(ctx, [doc], () => prepareStep(ctx, actor, action, record, body, doc));
}

async function prepareStep<B extends { document?: Record<string, unknown> }>(
  ctx: GatewayContext,
  actor: Actor,
  action: CustodyActionSpec,
  record: EvidenceRecord,
  body: B,
  doc: SealedDocument | undefined,
): Promise<CustodyStep> {
  const e = record.evidence;
  const digest = doc?.digest ?? ZERO;
  const args = await action.args(ctx, record, body, digest);
  const intent = await prepareIntent(
    ctx,
    actor,
    {
      kind: `evidence.${action.path}`,
      contract: "custody",
      method: action.method,
      args: [e.evidence_id, ...args],
      requestId: e.request_id,
      evidenceId: e.evidence_id,
      documentDigest: doc?.digest,
    },
    async (trx) => {
      if (doc) {
        await recordDocument(trx, doc, {
          kind: `evidence.${action.path}`,
          requestId: e.request_id,
          evidenceId: e.evidence_id,
          origin: "local",
          createdBy: actor.address,
        });
      }
      await recordAudit(trx, {
        actor: actor.address,
        actorState: actor.state,
        action: `evidence.${action.path}`,
        subject: e.evidence_id,
        detail: { requestId: e.request_id, documentDigest: doc?.digest ?? null, args: args.map(String) },
      });
    },
  );
  return { evidenceId: e.evidence_id, documentDigest: doc?.digest ?? null, intent };
}

async function sealFor(
  ctx: GatewayContext,
  directory: StateDirectory,
  document: Record<string, unknown>,
  readers: string[],
): Promise<SealedDocument> {
  const others = [...new Set(readers)].filter((s) => s !== ctx.config.state);
  const recipients = [ctx.recipient, ...(await Promise.all(others.map(async (s) => (await directory.get(s)).recipient)))];
  if (recipients.some((r) => r === "")) throw new GatewayError("VALIDATION_FAILED", `one of ${others.join(", ")} is not a member state`);
  return sealJson(ctx, document, recipients);
}
