/**
 * A complete, realistic dossier (Spain asks Mexico for bank records, e-mail account data and a witness
 * hearing in a money-laundering investigation; every person and account is fictitious), the Mexican
 * requirements it satisfies, and a builder of dossiers of a given serialized size (the gateway's
 * benchmark sends 10 KB dossiers). Reused by the gateway's route, store and benchmark tests.
 */
import { DEFAULT_REQUIREMENTS, DOSSIER_LIMITS, type Dossier, type Requirements } from "../../../gateway/src/dossier";

/** The ledger id of the example's treaty (UNTOC); any bytes32 will do off-chain. */
export const EXAMPLE_TREATY_ID = "0x" + "5c".repeat(32);

const FACTS =
  "Between March 2023 and June 2024 an organised group led by the suspect Andrés Villalobos Ruiz " +
  "defrauded at least 1,240 investors in Spain through the online platform 'Inversiones Atlas', which " +
  "promised monthly returns of 8 % on foreign-exchange trading that never took place. Investors paid " +
  "EUR 18.6 million into accounts held at Banco Ibérico in Madrid by Atlas Capital Partners S.L.; " +
  "from there EUR 11.2 million was transferred in 214 payments to account 012180001234567891 held at " +
  "Banco Mercantil del Norte in Monterrey, Mexico, by the company Comercializadora Lomas del Sol S.A. de C.V., " +
  "whose sole administrator is the suspect. Investors were contacted from the e-mail address " +
  "inversiones.atlas.es@example.com, whose provider has its registered office in Mexico City.";

const BASE: Dossier = {
  format: "mlat-ledger/dossier/v1",
  requestingAuthority: {
    state: "ES",
    name: "Fiscalía Especial contra la Corrupción y la Criminalidad Organizada",
    address: "Calle Manuel Silvela 4\n28010 Madrid\nEspaña",
    contact: { name: "María Fernández López, Fiscal", email: "mfernandez@fiscal.example.es", phone: "+34 91 123 45 67" },
    reference: "Diligencias de investigación 112/2024",
  },
  requestedAuthority: {
    state: "MX",
    name: "Fiscalía General de la República, Dirección General de Procedimientos Internacionales",
    address: "Avenida Paseo de la Reforma 211-213\nCuauhtémoc, 06500 Ciudad de México\nMéxico",
  },
  treaty: {
    treatyId: EXAMPLE_TREATY_ID,
    title: "United Nations Convention against Transnational Organized Crime (2000), art. 18",
  },
  assistanceTypes: ["WITNESS_HEARING", "BANK_RECORDS", "ELECTRONIC_EVIDENCE"],
  proceedings: {
    stage: "investigation",
    conductingAuthority: "Juzgado Central de Instrucción n.º 3, Audiencia Nacional (investigating judge)",
    caseReference: "Diligencias Previas 87/2024",
  },
  offences: [
    {
      legalQualification: "Estafa agravada (aggravated fraud)",
      statutoryProvision:
        "Código Penal, arts. 248 and 250.1.5.º: fraud where the amount defrauded exceeds EUR 50,000.",
      maximumPenalty: "6 years' imprisonment and a fine of 12 months",
      description: "Deceit of investors through a fictitious trading platform, Spain, 2023-2024.",
    },
    {
      legalQualification: "Blanqueo de capitales (money laundering)",
      statutoryProvision:
        "Código Penal, art. 301.1: acquiring, possessing, using, converting or transmitting property " +
        "knowing that it originates in a criminal activity, in order to conceal its illicit origin.",
      maximumPenalty: "6 years' imprisonment and a fine of three times the value of the property",
      description: "Transfer of the proceeds of the fraud to Mexico through a front company.",
    },
  ],
  factsSummary: FACTS,
  purpose:
    "To trace the proceeds of the fraud, identify the persons who controlled the Mexican account and " +
    "obtain evidence admissible at trial in Spain.",
  persons: [
    {
      role: "suspect",
      familyName: "Villalobos Ruiz",
      givenNames: "Andrés",
      otherNames: ["Andy Villalobos"],
      dateOfBirth: "1978-04-12",
      placeOfBirth: "Sevilla, España",
      nationalities: ["ES", "MX"],
      identificationDocuments: [
        { kind: "passport", number: "PAA123456", issuingState: "ES", expiresOn: "2029-05-31" },
        { kind: "tax_id", number: "VIRA780412AB1", issuingState: "MX" },
      ],
      address: "Calle Río Balsas 45, Colonia del Valle\n66220 San Pedro Garza García, Nuevo León\nMéxico",
      description: "Sole administrator of Atlas Capital Partners S.L. and of Comercializadora Lomas del Sol.",
    },
    {
      role: "account_holder",
      organisationName: "Comercializadora Lomas del Sol S.A. de C.V.",
      identificationDocuments: [{ kind: "tax_id", number: "CLS190311XY2", issuingState: "MX" }],
      address: "Avenida Constitución 1500, Centro\n64000 Monterrey, Nuevo León\nMéxico",
      description: "Holder of account 012180001234567891 at Banco Mercantil del Norte.",
    },
    {
      role: "witness",
      familyName: "Garza Treviño",
      givenNames: "Lucía",
      dateOfBirth: "1985-09-03",
      nationalities: ["MX"],
      address: "Calle Hidalgo 320, Centro\n64000 Monterrey, Nuevo León\nMéxico",
      description: "Former accountant of Comercializadora Lomas del Sol (2022-2024).",
    },
  ],
  dualCriminality: {
    conductIsOffenceInRequestedState: "yes",
    explanation:
      "The conduct constitutes fraud (Código Penal Federal, art. 386) and operations with resources of " +
      "illicit origin (art. 400 Bis) under Mexican law.",
  },
  measuresRequested: [
    {
      assistanceType: "BANK_RECORDS",
      description:
        "Account-opening documents, signatories, statements and supporting documents of every transaction " +
        "of account 012180001234567891 at Banco Mercantil del Norte from 1 January 2023 to date.",
      procedure: "Please have the bank certify the records as true copies of its business records.",
    },
    {
      assistanceType: "ELECTRONIC_EVIDENCE",
      description:
        "Subscriber information, IP addresses of account creation and of every log-in, from 1 March 2023 to " +
        "30 June 2024, of the e-mail account inversiones.atlas.es@example.com.",
    },
    {
      assistanceType: "WITNESS_HEARING",
      description:
        "Hearing of the witness Lucía Garza Treviño on the company's accounts, its administrator and the " +
        "origin of the payments received from Spain; the questions are in attachment 2.",
      procedure: "Spanish prosecutor and defence counsel to attend by videoconference (UNTOC art. 18(18)).",
      location: "Monterrey, Nuevo León",
    },
  ],
  urgency: {
    level: "urgent",
    reasons: "The suspect is withdrawing the balance of the Mexican account; the limitation period runs.",
  },
  confidentialityConditions:
    "Neither the account holder nor the suspect may be informed of this request or of its execution.",
  specialityConditions:
    "The evidence will be used only in Diligencias Previas 87/2024 and any trial arising from them.",
  requestedDeadline: "2025-12-15",
  language: "es",
  attachments: [
    {
      name: "auto-juzgado-central-3.pdf",
      mediaType: "application/pdf",
      sha256: "3f0a8c1e2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708",
      size: 482_113,
      description: "Order of the investigating judge authorising the request.",
    },
    {
      name: "cuestionario-testigo.pdf",
      mediaType: "application/pdf",
      sha256: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
      size: 96_540,
      description: "Questions for the witness.",
    },
  ],
};

/**
 * A complete dossier (valid, and complete against `exampleRequirements()`), with top-level fields replaced
 * by `overrides`; a field given as `undefined` is removed.
 *
 * @example
 * const d = exampleDossier({ persons: undefined, language: "en" });
 */
export function exampleDossier(overrides: Partial<Dossier> = {}): Dossier {
  const merged: Record<string, unknown> = { ...structuredClone(BASE), ...structuredClone(overrides) };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged as Dossier;
}

/**
 * Mexico's requirements in the examples: the defaults, in Spanish or English.
 *
 * @example
 * checkCompleteness(exampleDossier(), exampleRequirements()); // []
 */
export function exampleRequirements(overrides: Partial<Requirements> = {}): Requirements {
  return { ...DEFAULT_REQUIREMENTS("MX"), acceptedLanguages: ["es", "en"], ...overrides };
}

const FILLER =
  " The investigation further established the following transfers, listed by date, amount and ordering account.";

/**
 * The example dossier with its facts summary padded (ASCII) so that `JSON.stringify` of it is exactly
 * `bytes` bytes of UTF-8. Throws a RangeError when that is smaller than the example or needs a facts
 * summary longer than the format allows.
 *
 * @example
 * const body = JSON.stringify(dossierOfSize(10 * 1024)); // Buffer.byteLength(body) === 10240
 */
export function dossierOfSize(bytes: number, overrides: Partial<Dossier> = {}): Dossier {
  const base = exampleDossier(overrides);
  const facts = base.factsSummary ?? "Facts.";
  const unpadded = Buffer.byteLength(JSON.stringify({ ...base, factsSummary: facts }));
  const pad = bytes - unpadded;
  if (pad < 0 || facts.length + pad > DOSSIER_LIMITS.factsSummary) {
    throw new RangeError(
      `a dossier of ${bytes} bytes is out of reach: the example has ${unpadded} bytes and the facts may add ` +
        `${DOSSIER_LIMITS.factsSummary - facts.length} more`,
    );
  }
  const padding = FILLER.repeat(Math.ceil(pad / FILLER.length)).slice(0, pad);
  return { ...base, factsSummary: facts + padding };
}
