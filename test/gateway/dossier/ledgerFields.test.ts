import { describe, expect, it } from "vitest";
import { Priority, assistanceMask } from "../../../sdk/src/ledger/types";
import { dossierLedgerFields } from "../../../gateway/src/dossier";
import { EXAMPLE_TREATY_ID, exampleDossier } from "./example";

describe("dossierLedgerFields", () => {
  it("maps the addressee, treaty, assistance bit set and urgency to the ledger's fields", () => {
    expect(dossierLedgerFields(exampleDossier())).toEqual({
      requestedState: "MX",
      treatyId: EXAMPLE_TREATY_ID,
      assistanceTypes: assistanceMask(["WITNESS_HEARING", "BANK_RECORDS", "ELECTRONIC_EVIDENCE"]),
      priority: Priority.Urgent,
    });
    expect(dossierLedgerFields(exampleDossier()).assistanceTypes).toBe(0b110010);
  });

  it("gives a routine dossier routine priority", () => {
    expect(dossierLedgerFields(exampleDossier({ urgency: { level: "routine" } })).priority).toBe(Priority.Routine);
  });
});
