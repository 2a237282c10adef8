import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DossierSchema, RequirementsSchema, checkCompleteness, type Dossier } from "../../../gateway/src/dossier";

const DOC = readFileSync(join(__dirname, "../../../docs/api/dossier.md"), "utf8");

/** The JSON block that follows `<!-- example: name -->` in docs/api/dossier.md. */
function docExample(name: string): unknown {
  const m = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(DOC);
  if (!m?.[1]) throw new Error(`no example ${name} in docs/api/dossier.md`);
  return JSON.parse(m[1]);
}

describe("docs/api/dossier.md", () => {
  it("shows a valid dossier, complete against the documented requirements", () => {
    const dossier = DossierSchema.parse(docExample("dossier"));
    const requirements = RequirementsSchema.parse(docExample("requirements"));
    expect(checkCompleteness(dossier, requirements)).toEqual([]);
  });

  it("shows the report the check gives for the documented defects", () => {
    const dossier = DossierSchema.parse(docExample("dossier"));
    const requirements = RequirementsSchema.parse(docExample("requirements"));
    const defective: Dossier = { ...dossier, language: "fr", assistanceTypes: ["WITNESS_HEARING", "BANK_RECORDS"] };
    delete defective.purpose;
    defective.persons = [dossier.persons![1]!, { role: "witness", familyName: "Garza Treviño" }];
    expect(checkCompleteness(DossierSchema.parse(defective), requirements)).toEqual(docExample("missing"));
  });
});
