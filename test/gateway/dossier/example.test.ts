import { describe, expect, it } from "vitest";
import { DOSSIER_LIMITS, DossierSchema, checkCompleteness } from "../../../gateway/src/dossier";
import { dossierOfSize, exampleDossier, exampleRequirements } from "./example";

describe("exampleDossier", () => {
  it("is a valid dossier, complete against the example requirements", () => {
    const d = exampleDossier();
    expect(DossierSchema.safeParse(d).success).toBe(true);
    expect(checkCompleteness(d, exampleRequirements())).toEqual([]);
  });

  it("replaces top-level fields and removes those given as undefined", () => {
    const d = exampleDossier({ language: "en", persons: undefined });
    expect(d.language).toBe("en");
    expect("persons" in d).toBe(false);
  });

  it("returns a fresh copy each time", () => {
    const a = exampleDossier();
    a.requestingAuthority.name = "changed";
    expect(exampleDossier().requestingAuthority.name).not.toBe("changed");
  });
});

describe("dossierOfSize", () => {
  it("serializes to exactly the requested number of bytes and stays valid", () => {
    for (const bytes of [6 * 1024, 10 * 1024, 30 * 1024]) {
      const d = dossierOfSize(bytes);
      expect(Buffer.byteLength(JSON.stringify(d))).toBe(bytes);
      expect(DossierSchema.safeParse(d).success).toBe(true);
    }
  });

  it("applies overrides before padding", () => {
    const d = dossierOfSize(10 * 1024, { language: "en" });
    expect(d.language).toBe("en");
    expect(Buffer.byteLength(JSON.stringify(d))).toBe(10 * 1024);
  });

  it("throws a RangeError below the example's size or beyond the facts limit", () => {
    expect(() => dossierOfSize(100)).toThrow(RangeError);
    expect(() => dossierOfSize(DOSSIER_LIMITS.factsSummary + 10 * 1024)).toThrow(RangeError);
  });
});
