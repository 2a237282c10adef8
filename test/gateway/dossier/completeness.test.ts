import { describe, expect, it } from "vitest";
import { checkCompleteness, missingAt, type Requirements } from "../../../gateway/src/dossier";
import { exampleDossier, exampleRequirements } from "./example";

/** Requirements with nothing mandatory, so each test adds exactly what it checks. */
function bare(overrides: Partial<Requirements> = {}): Requirements {
  return exampleRequirements({ mandatoryFields: [], assistanceTypeFields: {}, ...overrides });
}

describe("checkCompleteness", () => {
  it("finds nothing missing in the complete example", () => {
    expect(checkCompleteness(exampleDossier(), exampleRequirements())).toEqual([]);
  });

  it("names every absent mandatory field with the requested state's reason", () => {
    const d = exampleDossier({ purpose: undefined, dualCriminality: undefined, offences: undefined });
    const missing = checkCompleteness(d, bare({ mandatoryFields: ["purpose", "offences", "dualCriminality.explanation"] }));
    expect(missing).toEqual([
      { path: "purpose", reason: "MX requires this field; it is absent" },
      { path: "offences", reason: "MX requires this field; it is absent" },
      { path: "dualCriminality.explanation", reason: "MX requires this field; it is absent" },
    ]);
  });

  it("reports an empty array as empty", () => {
    expect(checkCompleteness(exampleDossier({ persons: [] }), bare({ mandatoryFields: ["persons"] }))).toEqual([
      { path: "persons", reason: "MX requires this field; it is empty" },
    ]);
  });

  it("names the leaves under an absent or empty object", () => {
    const d = exampleDossier();
    delete d.requestingAuthority.contact;
    const req = bare({ mandatoryFields: ["requestingAuthority.contact.name", "requestingAuthority.contact.email"] });
    expect(checkCompleteness(d, req).map((m) => m.path)).toEqual([
      "requestingAuthority.contact.name",
      "requestingAuthority.contact.email",
    ]);
    d.requestingAuthority.contact = {};
    expect(checkCompleteness(d, bare({ mandatoryFields: ["requestingAuthority.contact"] }))).toEqual([
      { path: "requestingAuthority.contact", reason: "MX requires this field; it is empty" },
    ]);
  });

  it("checks a path through an array in every element, naming each by index", () => {
    const d = exampleDossier();
    const req = bare({ mandatoryFields: ["persons.dateOfBirth", "persons.identificationDocuments.expiresOn"] });
    expect(checkCompleteness(d, req).map((m) => m.path)).toEqual([
      "persons[1].dateOfBirth",
      "persons[0].identificationDocuments[1].expiresOn",
      "persons[1].identificationDocuments[0].expiresOn",
    ]);
  });

  it("finds nothing to miss through an absent or empty array", () => {
    const req = bare({ mandatoryFields: ["persons.dateOfBirth"] });
    expect(checkCompleteness(exampleDossier({ persons: undefined }), req)).toEqual([]);
    expect(checkCompleteness(exampleDossier({ persons: [] }), req)).toEqual([]);
  });

  it("refuses a language the requested state does not accept", () => {
    expect(checkCompleteness(exampleDossier({ language: "fr" }), bare())).toEqual([
      { path: "language", reason: "MX accepts dossiers in es, en; this one is in fr" },
    ]);
  });

  it("refuses requirements of another state than the addressee", () => {
    expect(checkCompleteness(exampleDossier(), bare({ state: "US" }))).toEqual([
      { path: "requestedAuthority.state", reason: "these are the requirements of US; the dossier is addressed to MX" },
    ]);
  });

  it("refuses a facts summary longer than the requested state accepts", () => {
    const d = exampleDossier({ factsSummary: "f".repeat(101) });
    expect(checkCompleteness(d, bare({ maxFactsLength: 100 }))).toEqual([
      { path: "factsSummary", reason: "MX accepts at most 100 characters; this has 101" },
    ]);
    expect(checkCompleteness(d, bare({ maxFactsLength: 101 }))).toEqual([]);
  });

  it("applies an assistance type's fields only when the dossier asks for that type", () => {
    const d = exampleDossier({ dualCriminality: undefined });
    const req = bare({ assistanceTypeFields: { SEARCH_AND_SEIZURE: ["dualCriminality"], BANK_RECORDS: ["purpose", "persons.address"] } });
    expect(checkCompleteness(d, req)).toEqual([]);
    const withoutPurpose = exampleDossier({ purpose: undefined, dualCriminality: undefined });
    expect(checkCompleteness(withoutPurpose, req)).toEqual([
      { path: "purpose", reason: "MX requires this field for BANK_RECORDS; it is absent" },
    ]);
    const search = exampleDossier({
      dualCriminality: undefined,
      assistanceTypes: ["SEARCH_AND_SEIZURE"],
      measuresRequested: [{ assistanceType: "SEARCH_AND_SEIZURE", description: "Search the premises at Avenida Constitución 1500." }],
    });
    expect(checkCompleteness(search, req)).toEqual([
      { path: "dualCriminality", reason: "MX requires this field for SEARCH_AND_SEIZURE; it is absent" },
    ]);
  });

  it("names each assistance type that has no measure under it", () => {
    const d = exampleDossier({ measuresRequested: exampleDossier().measuresRequested!.slice(0, 1) });
    expect(checkCompleteness(d, bare())).toEqual([
      { path: "measuresRequested", reason: "no measure is requested under WITNESS_HEARING, ELECTRONIC_EVIDENCE" },
    ]);
  });

  it("reports a path once, with its first reason", () => {
    const d = exampleDossier({ purpose: undefined, measuresRequested: undefined });
    const req = bare({ mandatoryFields: ["purpose", "measuresRequested"], assistanceTypeFields: { BANK_RECORDS: ["purpose"] } });
    expect(checkCompleteness(d, req)).toEqual([
      { path: "purpose", reason: "MX requires this field; it is absent" },
      { path: "measuresRequested", reason: "MX requires this field; it is absent" },
    ]);
  });

  it("names every missing item of a bare dossier against the defaults, in a fixed order", () => {
    const full = exampleDossier();
    const d = exampleDossier({
      requestingAuthority: { state: "ES", name: full.requestingAuthority.name },
      language: "de",
      proceedings: undefined,
      offences: undefined,
      factsSummary: undefined,
      purpose: undefined,
      persons: undefined,
      measuresRequested: undefined,
    });
    expect(checkCompleteness(d, exampleRequirements())).toEqual([
      { path: "language", reason: "MX accepts dossiers in es, en; this one is in de" },
      { path: "requestingAuthority.address", reason: "MX requires this field; it is absent" },
      { path: "requestingAuthority.contact.name", reason: "MX requires this field; it is absent" },
      { path: "requestingAuthority.contact.email", reason: "MX requires this field; it is absent" },
      { path: "requestingAuthority.reference", reason: "MX requires this field; it is absent" },
      { path: "proceedings", reason: "MX requires this field; it is absent" },
      { path: "proceedings.conductingAuthority", reason: "MX requires this field; it is absent" },
      { path: "offences", reason: "MX requires this field; it is absent" },
      { path: "purpose", reason: "MX requires this field; it is absent" },
      { path: "measuresRequested", reason: "MX requires this field; it is absent" },
      { path: "factsSummary", reason: "MX requires this field for WITNESS_HEARING; it is absent" },
      { path: "persons", reason: "MX requires this field for WITNESS_HEARING; it is absent" },
    ]);
    expect(checkCompleteness(d, exampleRequirements())).toEqual(checkCompleteness(d, exampleRequirements()));
  });

  it("leaves its arguments unchanged", () => {
    const d = exampleDossier({ purpose: undefined });
    const req = exampleRequirements();
    const before = JSON.stringify([d, req]);
    checkCompleteness(d, req);
    expect(JSON.stringify([d, req])).toBe(before);
  });
});

describe("missingAt", () => {
  it("tells an absent field from an empty one", () => {
    expect(missingAt(exampleDossier({ attachments: [] }), "attachments")).toEqual([{ path: "attachments", how: "empty" }]);
    expect(missingAt(exampleDossier({ attachments: undefined }), "attachments")).toEqual([{ path: "attachments", how: "absent" }]);
    expect(missingAt(exampleDossier(), "attachments.description")).toEqual([]);
  });

  it("does not mistake an inherited property for a field", () => {
    expect(missingAt(exampleDossier(), "constructor")).toEqual([{ path: "constructor", how: "absent" }]);
  });
});
