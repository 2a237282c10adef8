/**
 * What the ledger's `submitRequest` takes from a dossier: the requested state, the treaty, the assistance
 * types as a bit set and the priority. One mapping, so the on-chain request and the dossier agree.
 */
import { assistanceMask, Priority } from "../../../sdk/src/ledger/types";
import type { Dossier } from "./schema";

/**
 * The on-chain fields of a request, as `SubmitRequestParameters` takes them.
 *
 * @example
 * const fields: DossierLedgerFields = dossierLedgerFields(dossier);
 */
export type DossierLedgerFields = {
  requestedState: string;
  treatyId: string;
  /** Bit set of assistance types (`assistanceMask`). */
  assistanceTypes: number;
  priority: Priority;
};

/**
 * Derives the on-chain fields of a request from its dossier.
 *
 * @example
 * const w = await submitRequest(client, { ...dossierLedgerFields(dossier), requestId, documentDigest });
 */
export function dossierLedgerFields(dossier: Dossier): DossierLedgerFields {
  return {
    requestedState: dossier.requestedAuthority.state,
    treatyId: dossier.treaty.treatyId,
    assistanceTypes: assistanceMask(dossier.assistanceTypes),
    priority: dossier.urgency.level === "urgent" ? Priority.Urgent : Priority.Routine,
  };
}
