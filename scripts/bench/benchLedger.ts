import type { ContractTransactionResponse } from "ethers";
import { hexlify, randomBytes } from "ethers";
import { foundedConsortium, BANK_AND_ELECTRONIC, MX, US } from "../../test/helpers/scenarios";
import { signForwardRequest } from "../../sdk/src/ledger/signForwardRequest";
import { Priority } from "../../sdk/src/ledger/types";

/** A founded consortium on Hardhat's network and the inputs the gas benchmark sends. */
export async function foundedLedgerForBench(_hre: unknown) {
  const l = await foundedConsortium();
  const consortiumDeployment = l.consortium.deploymentTransaction() as ContractTransactionResponse;
  const digest = () => hexlify(randomBytes(32));
  const newRequest = () => ({
    requestId: digest(),
    requestedState: MX,
    treatyId: l.bilateral,
    assistanceTypes: BANK_AND_ELECTRONIC,
    priority: Priority.Routine,
    documentDigest: digest(),
    respondBy: 0,
  });
  const newEvidence = (requestId: string) => ({
    evidenceId: digest(),
    requestId,
    payloadDigest: digest(),
    contentCommitment: digest(),
    manifestDigest: digest(),
    custodianAccount: "0x0000000000000000000000000000000000000000",
  });
  /** US's central authority signs, US's gateway relays through the forwarder. */
  const relaySubmit = async (r: ReturnType<typeof newRequest>) => {
    const request = await signForwardRequest({
      signer: l.us.authority,
      forwarder: l.forwarder,
      to: await l.requests.getAddress(),
      data: l.requests.interface.encodeFunctionData("submitRequest", [r]),
      gas: 200_000n,
    });
    return l.forwarder.connect(l.us.gateway).execute(request);
  };
  return { l, us: l.us, mx: l.mx, US, MX, consortiumDeployment, digest, newRequest, newEvidence, relaySubmit };
}
