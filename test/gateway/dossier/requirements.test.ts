import { describe, expect, it } from "vitest";
import { ASSISTANCE_TYPE_NAMES, DEFAULT_REQUIREMENTS, RequirementsSchema } from "../../../gateway/src/dossier";
import { exampleRequirements } from "./example";

function paths(value: unknown): string[] {
  const r = RequirementsSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
}

describe("RequirementsSchema", () => {
  it("accepts the example requirements", () => {
    expect(RequirementsSchema.parse(exampleRequirements())).toEqual(exampleRequirements());
  });

  it("refuses a path that is not a dossier field, naming where it stands", () => {
    const r = RequirementsSchema.safeParse(exampleRequirements({ mandatoryFields: ["persons", "persons.shoeSize"] }));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["mandatoryFields", 1]);
    expect(r.error?.issues[0]?.message).toContain("dossier field path");
    expect(paths(exampleRequirements({ assistanceTypeFields: { BANK_RECORDS: ["persons[0].dateOfBirth"] } }))).toEqual([
      "assistanceTypeFields.BANK_RECORDS.0",
    ]);
  });

  it("refuses the format field as a mandatory path (it is always there)", () => {
    expect(paths(exampleRequirements({ mandatoryFields: ["format"] }))).toEqual(["mandatoryFields.0"]);
  });

  it("refuses unknown assistance types and unknown keys", () => {
    const r = RequirementsSchema.safeParse({ ...exampleRequirements(), assistanceTypeFields: { TELEPATHY: ["persons"] } });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["assistanceTypeFields", 'Unrecognized key: "TELEPATHY"'],
    ]);
    expect(paths({ ...exampleRequirements(), contact: "x" })).toEqual([""]);
  });

  it("refuses repeated paths and languages, and an empty language list", () => {
    expect(paths(exampleRequirements({ mandatoryFields: ["purpose", "purpose"] }))).toEqual(["mandatoryFields.1"]);
    expect(paths(exampleRequirements({ acceptedLanguages: ["es", "es"] }))).toEqual(["acceptedLanguages.1"]);
    expect(paths(exampleRequirements({ acceptedLanguages: [] }))).toEqual(["acceptedLanguages"]);
  });

  it("refuses a maxFactsLength beyond what a dossier can hold", () => {
    expect(paths(exampleRequirements({ maxFactsLength: 32_001 }))).toEqual(["maxFactsLength"]);
    expect(paths(exampleRequirements({ maxFactsLength: 0 }))).toEqual(["maxFactsLength"]);
  });
});

describe("DEFAULT_REQUIREMENTS", () => {
  it("is valid requirements of the given state, in English", () => {
    const r = DEFAULT_REQUIREMENTS("MX");
    expect(RequirementsSchema.parse(r)).toEqual(r);
    expect(r.state).toBe("MX");
    expect(r.acceptedLanguages).toEqual(["en"]);
  });

  it("asks for the facts for every assistance type except the service of documents (UNTOC art. 18(15)(c))", () => {
    const r = DEFAULT_REQUIREMENTS("MX");
    for (const type of ASSISTANCE_TYPE_NAMES) {
      expect(r.assistanceTypeFields?.[type]?.includes("factsSummary"), type).toBe(type !== "SERVICE_OF_DOCUMENTS");
    }
    expect(r.assistanceTypeFields?.SERVICE_OF_DOCUMENTS).toEqual(["persons", "persons.address"]);
  });

  it("asks for dual criminality for coercive measures", () => {
    const r = DEFAULT_REQUIREMENTS("MX");
    for (const type of ["SEARCH_AND_SEIZURE", "FREEZING_OF_ASSETS", "CONFISCATION"] as const) {
      expect(r.assistanceTypeFields?.[type]).toContain("dualCriminality.explanation");
    }
  });

  it("throws for a malformed state code", () => {
    expect(() => DEFAULT_REQUIREMENTS("mx")).toThrow(/alpha-2/);
  });
});
