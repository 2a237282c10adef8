import { describe, expect, it } from "vitest";
import { DOSSIER_PATH_KINDS, DOSSIER_PATHS, DossierPathSchema } from "../../../gateway/src/dossier";

describe("DOSSIER_PATHS", () => {
  it("lists every field of the dossier in schema order, without format", () => {
    expect(DOSSIER_PATHS[0]).toBe("requestingAuthority");
    expect(DOSSIER_PATHS).not.toContain("format");
    for (const p of ["requestingAuthority.contact.email", "dualCriminality.explanation", "persons.identificationDocuments.number", "attachments.sha256"]) {
      expect(DOSSIER_PATHS).toContain(p);
    }
    expect(new Set(DOSSIER_PATHS).size).toBe(DOSSIER_PATHS.length);
  });

  it("knows which paths are arrays, objects and values", () => {
    expect(DOSSIER_PATH_KINDS.get("persons")).toBe("array");
    expect(DOSSIER_PATH_KINDS.get("persons.identificationDocuments")).toBe("array");
    expect(DOSSIER_PATH_KINDS.get("persons.nationalities")).toBe("array");
    expect(DOSSIER_PATH_KINDS.get("requestingAuthority.contact")).toBe("object");
    expect(DOSSIER_PATH_KINDS.get("urgency")).toBe("object");
    expect(DOSSIER_PATH_KINDS.get("urgency.level")).toBe("value");
    expect(DOSSIER_PATH_KINDS.get("attachments.size")).toBe("value");
  });
});

describe("DossierPathSchema", () => {
  it("accepts dossier paths and refuses anything else", () => {
    expect(DossierPathSchema.safeParse("persons.dateOfBirth").success).toBe(true);
    for (const bad of ["persons[0].dateOfBirth", "/persons", "persons.", "__proto__", "format", ""]) {
      expect(DossierPathSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
