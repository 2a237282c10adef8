/**
 * The demo's request: the United States asks Mexico, under their bilateral treaty, for the records of a
 * bank account and a forensic image of a phone the Mexican authorities seized. Every person, account and
 * phone number is fictitious.
 */
import type { Dossier } from "../../../gateway/src/dossier";

/**
 * The dossier the US central authority submits to MX under the bilateral treaty `treatyId`.
 * @example const dossier = demoDossier(local.treaties.bilateral);
 */
export function demoDossier(treatyId: string): Dossier {
  return {
    format: "mlat-ledger/dossier/v1",
    requestingAuthority: {
      state: "US",
      name: "U.S. Department of Justice, Criminal Division, Office of International Affairs",
      address: "1301 New York Avenue NW\nWashington, DC 20530\nUnited States",
      contact: { name: "Jordan Ellis, Trial Attorney", email: "jordan.ellis@oia.example.gov", phone: "+1 202 555 0142" },
      reference: "OIA 182-27431",
    },
    requestedAuthority: {
      state: "MX",
      name: "Fiscalía General de la República, Dirección General de Procedimientos Internacionales",
      address: "Avenida Paseo de la Reforma 211-213\nCuauhtémoc, 06500 Ciudad de México\nMéxico",
    },
    treaty: { treatyId, title: "Treaty on Cooperation between the United States of America and the United Mexican States for Mutual Legal Assistance (1987)" },
    assistanceTypes: ["BANK_RECORDS", "ELECTRONIC_EVIDENCE"],
    proceedings: {
      stage: "investigation",
      conductingAuthority: "U.S. Attorney's Office for the Southern District of Texas (grand jury investigation)",
      caseReference: "Grand Jury No. 25-0412",
    },
    offences: [
      {
        legalQualification: "Laundering of monetary instruments",
        statutoryProvision: "18 U.S.C. § 1956(a)(2): transporting or transferring funds across the border to promote specified unlawful activity.",
        maximumPenalty: "20 years' imprisonment and a fine of USD 500,000 or twice the value of the funds",
        description: "Transfers of proceeds of drug trafficking from Houston to an account in Monterrey, 2024.",
      },
    ],
    factsSummary:
      "Between January and September 2024 a courier network collected cash proceeds of fentanyl sales in Houston, Texas, " +
      "and deposited them in amounts below USD 10,000 into accounts of the front company Logística Fronteriza S.A. de C.V. " +
      "USD 3.4 million was then wired in 61 transfers to account 072580009876543210 at Banco Regional del Norte in Monterrey. " +
      "On 14 October 2024 the Mexican authorities arrested the company's manager, Rafael Montoya Ibarra, and seized his phone, " +
      "which according to a cooperating witness holds the messages that coordinated the deposits.",
    purpose: "To trace the proceeds, identify who controlled the Mexican account, and obtain evidence admissible at trial in the United States.",
    persons: [
      {
        role: "suspect",
        familyName: "Montoya Ibarra",
        givenNames: "Rafael",
        dateOfBirth: "1981-07-22",
        nationalities: ["MX"],
        address: "Calle Zaragoza 818, Centro\n64000 Monterrey, Nuevo León\nMéxico",
        description: "Manager of Logística Fronteriza S.A. de C.V.; arrested in Monterrey on 14 October 2024.",
      },
      {
        role: "account_holder",
        organisationName: "Logística Fronteriza S.A. de C.V.",
        identificationDocuments: [{ kind: "tax_id", number: "LFR180523QW7", issuingState: "MX" }],
        address: "Avenida Constitución 2200, Centro\n64000 Monterrey, Nuevo León\nMéxico",
        description: "Holder of account 072580009876543210 at Banco Regional del Norte.",
      },
    ],
    dualCriminality: {
      conductIsOffenceInRequestedState: "yes",
      explanation: "Operations with resources of illicit origin are an offence under Código Penal Federal, art. 400 Bis.",
    },
    measuresRequested: [
      {
        assistanceType: "BANK_RECORDS",
        description:
          "Account-opening documents, signatories, statements and wire-transfer records of account 072580009876543210 " +
          "at Banco Regional del Norte from 1 January 2024 to date.",
        procedure: "Please have the bank certify the records as true copies of its business records.",
      },
      {
        assistanceType: "ELECTRONIC_EVIDENCE",
        description:
          "A complete forensic image of the mobile phone seized from Rafael Montoya Ibarra on 14 October 2024 " +
          "(evidence item FGR-NL-2024-3381), with the hash values computed at acquisition.",
        procedure: "Please document the chain of custody of the phone from its seizure to the acquisition of the image.",
      },
    ],
    urgency: { level: "urgent", reasons: "Trial of co-defendants is set for March 2026; the evidence must arrive before then." },
    confidentialityConditions: "The account holder must not be informed of this request or of its execution.",
    specialityConditions: "The evidence will be used only in the proceedings named above and any trial arising from them.",
    requestedDeadline: "2026-01-31",
    language: "en",
  };
}
