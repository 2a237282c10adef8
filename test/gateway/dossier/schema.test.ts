import { describe, expect, it } from "vitest";
import { DOSSIER_LIMITS, DossierSchema } from "../../../gateway/src/dossier";
import { exampleDossier } from "./example";

/** The paths (dotted) and messages of the issues zod reports for `value`. */
function issues(value: unknown): { path: string; message: string }[] {
  const r = DossierSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}
function paths(value: unknown): string[] {
  return issues(value).map((i) => i.path);
}

describe("DossierSchema", () => {
  it("accepts the complete example and returns it unchanged", () => {
    const d = exampleDossier();
    expect(DossierSchema.parse(d)).toEqual(d);
  });

  it("accepts a minimal dossier with only the fields the ledger needs", () => {
    const { format, requestingAuthority, requestedAuthority, treaty, assistanceTypes, language } = exampleDossier();
    const minimal = { format, requestingAuthority, requestedAuthority, treaty, assistanceTypes, language, urgency: { level: "routine" } };
    expect(DossierSchema.safeParse(minimal).success).toBe(true);
  });

  it("names every missing required field", () => {
    expect(paths({ format: "mlat-ledger/dossier/v1" }).sort()).toEqual(
      ["assistanceTypes", "language", "requestedAuthority", "requestingAuthority", "treaty", "urgency"].sort(),
    );
  });

  it("refuses another format", () => {
    expect(paths(exampleDossier({ format: "mlat-ledger/dossier/v2" as "mlat-ledger/dossier/v1" }))).toEqual(["format"]);
  });

  it("refuses unknown keys at the root and in nested objects, naming them", () => {
    const d = { ...exampleDossier(), extra: 1 } as Record<string, unknown>;
    const root = issues(d);
    expect(root).toHaveLength(1);
    expect(root[0]?.message).toContain("extra");

    const nested = exampleDossier();
    (nested.persons![1] as Record<string, unknown>).shoeSize = 44;
    expect(issues(nested)[0]).toMatchObject({ path: "persons.1" });
    expect(issues(nested)[0]?.message).toContain("shoeSize");
  });

  it("refuses __proto__, constructor and prototype keys from parsed JSON", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const json = JSON.stringify(exampleDossier()).replace(/^\{/, `{"${key}":{"polluted":true},`);
      const parsed: unknown = JSON.parse(json);
      expect(DossierSchema.safeParse(parsed).success, key).toBe(false);
      const inContact = JSON.stringify(exampleDossier()).replace('"contact":{', `"contact":{"${key}":{"x":1},`);
      expect(paths(JSON.parse(inContact)), key).toEqual(["requestingAuthority.contact"]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses over-long strings with the path of the field", () => {
    const longName = "x".repeat(DOSSIER_LIMITS.line + 1);
    const d = exampleDossier();
    d.requestingAuthority.name = longName;
    d.persons![0]!.familyName = longName;
    d.offences![1]!.description = "y".repeat(DOSSIER_LIMITS.text + 1);
    expect(paths(d)).toEqual(["requestingAuthority.name", "offences.1.description", "persons.0.familyName"]);
    expect(paths(exampleDossier({ factsSummary: "f".repeat(DOSSIER_LIMITS.factsSummary + 1) }))).toEqual(["factsSummary"]);
    expect(paths(exampleDossier({ factsSummary: "f".repeat(DOSSIER_LIMITS.factsSummary) }))).toEqual([]);
  });

  it("refuses over-long arrays", () => {
    const d = exampleDossier();
    const person = d.persons![0]!;
    expect(paths(exampleDossier({ persons: Array(DOSSIER_LIMITS.persons + 1).fill(person) }))).toEqual(["persons"]);
    expect(paths(exampleDossier({ offences: Array(DOSSIER_LIMITS.offences + 1).fill(d.offences![0]) }))).toEqual(["offences"]);
    expect(paths(exampleDossier({ attachments: [] }))).toEqual([]);
  });

  it("requires reasons for an urgent request", () => {
    const r = issues(exampleDossier({ urgency: { level: "urgent" } }));
    expect(r).toEqual([{ path: "urgency.reasons", message: "an urgent request must give its reasons" }]);
    expect(paths(exampleDossier({ urgency: { level: "routine" } }))).toEqual([]);
  });

  it("refuses blank texts and control characters", () => {
    expect(paths(exampleDossier({ purpose: " \n\t " }))).toEqual(["purpose"]);
    expect(paths(exampleDossier({ purpose: "line one\nline two\ttabbed" }))).toEqual([]);
    expect(paths(exampleDossier({ purpose: "bell\u0007" }))).toEqual(["purpose"]);
    const d = exampleDossier();
    d.requestingAuthority.name = "two\nlines";
    expect(paths(d)).toEqual(["requestingAuthority.name"]);
    d.requestingAuthority.name = " padded ";
    expect(paths(d)).toEqual(["requestingAuthority.name"]);
  });

  it("refuses malformed codes, identifiers and dates", () => {
    const d = exampleDossier({ language: "ES", requestedDeadline: "2025-02-30" });
    d.requestedAuthority.state = "mx";
    d.treaty.treatyId = d.treaty.treatyId.toUpperCase().replace("0X", "0x");
    d.persons![0]!.nationalities = ["ESP"];
    d.requestingAuthority.contact!.email = "not-an-address";
    d.requestingAuthority.contact!.phone = "call me";
    d.attachments![0]!.sha256 = "0x" + "ab".repeat(32);
    expect(paths(d).sort()).toEqual(
      [
        "attachments.0.sha256",
        "language",
        "persons.0.nationalities.0",
        "requestedAuthority.state",
        "requestedDeadline",
        "requestingAuthority.contact.email",
        "requestingAuthority.contact.phone",
        "treaty.treatyId",
      ].sort(),
    );
  });

  it("refuses unknown and repeated assistance types", () => {
    expect(paths(exampleDossier({ assistanceTypes: ["BANK_RECORDS", "TELEPATHY" as "BANK_RECORDS"] }))).toEqual(["assistanceTypes.1"]);
    const repeated = issues(exampleDossier({ assistanceTypes: ["WITNESS_HEARING", "BANK_RECORDS", "ELECTRONIC_EVIDENCE", "BANK_RECORDS"] }));
    expect(repeated).toEqual([{ path: "assistanceTypes.3", message: 'duplicate assistance type "BANK_RECORDS"' }]);
    expect(paths(exampleDossier({ assistanceTypes: [] }))).toEqual(["assistanceTypes"]);
  });

  it("refuses a measure under an assistance type the dossier does not ask for", () => {
    const r = issues(exampleDossier({ assistanceTypes: ["BANK_RECORDS", "WITNESS_HEARING"] }));
    expect(r).toEqual([
      { path: "measuresRequested.1.assistanceType", message: "ELECTRONIC_EVIDENCE is not one of the dossier's assistanceTypes" },
    ]);
  });

  it("refuses a state requesting assistance from itself", () => {
    const d = exampleDossier();
    d.requestedAuthority.state = "ES";
    expect(paths(d)).toEqual(["requestedAuthority.state"]);
  });

  it("refuses a person with neither a name nor a description", () => {
    expect(paths(exampleDossier({ persons: [{ role: "witness", dateOfBirth: "1990-01-01" }] }))).toEqual(["persons.0.familyName"]);
    expect(paths(exampleDossier({ persons: [{ role: "other", description: "the user of +52 81 5555 0000" }] }))).toEqual([]);
  });

  it("refuses attachment descriptors with path names, bad media types or repeated names", () => {
    const [a, b] = exampleDossier().attachments!;
    expect(paths(exampleDossier({ attachments: [{ ...a!, name: "../etc/passwd" }] }))).toEqual(["attachments.0.name"]);
    expect(paths(exampleDossier({ attachments: [{ ...a!, mediaType: "pdf" }] }))).toEqual(["attachments.0.mediaType"]);
    expect(paths(exampleDossier({ attachments: [{ ...a!, size: -1 }] }))).toEqual(["attachments.0.size"]);
    expect(paths(exampleDossier({ attachments: [a!, { ...b!, name: a!.name }] }))).toEqual(["attachments.1"]);
  });

  it("refuses values of the wrong type", () => {
    expect(paths(exampleDossier({ persons: "none" as unknown as [] }))).toEqual(["persons"]);
    expect(paths(exampleDossier({ urgency: { level: "urgent", reasons: 42 as unknown as string } }))).toEqual(["urgency.reasons"]);
    expect(DossierSchema.safeParse(null).success).toBe(false);
    expect(DossierSchema.safeParse([]).success).toBe(false);
  });
});
