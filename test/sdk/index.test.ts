import { describe, it, expect } from "vitest";
import * as sdk from "../../sdk/src/index";

describe("sdk entry point", () => {
  it("exports the crypto, ledger and verifier APIs from one barrel", () => {
    for (const name of ["encrypt", "decrypt", "sealPayload", "contentCommitment", "createLedgerClient", "submitRequest", "acceptCustody", "verifyEvidence", "rebuildCustodyChain", "isMlatError", "connectGateway", "uploadEvidence", "offerEvidenceCustody", "acceptEvidenceCustody"]) {
      expect(typeof (sdk as Record<string, unknown>)[name], name).toBe("function");
    }
  });
});
