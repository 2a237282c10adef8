/** Evidence made for real: sealed with age in one pass, registered, and delivered to the requesting state. */
import { mkdtempSync, writeFileSync, createReadStream, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Signer } from "ethers";
import { digest, randomId, latestTimestamp, DAY, BANK_AND_ELECTRONIC, type Ledger } from "./scenarios";
import { createLedgerClient } from "../../sdk/src/ledger/client";
import type { Deployment } from "../../sdk/src/ledger/deployment";
import * as R from "../../sdk/src/ledger/actions/requests";
import * as C from "../../sdk/src/ledger/actions/custody";
import { formatIdentityFile, generateIdentity } from "../../sdk/src/crypto/keys";
import { sealPayload } from "../../sdk/src/crypto/sealPayload";
import { createVerificationBundle } from "../../sdk/src/verify/createBundle";

export const evidenceDir = mkdtempSync(join(tmpdir(), "mlat-verify-"));

export async function deploymentOf(l: Ledger): Promise<Deployment> {
  const a = async (c: { getAddress(): Promise<string> }) => c.getAddress();
  return {
    format: "mlat-ledger/deployment/v1",
    network: "hardhat",
    chainId: 31337,
    deployBlock: 0,
    deployer: "0x0000000000000000000000000000000000000000",
    commit: "test",
    deployedAt: new Date().toISOString(),
    abiHash: "0x" + "0".repeat(64),
    contracts: {
      forwarder: await a(l.forwarder),
      consortium: await a(l.consortium),
      treaties: await a(l.treaties),
      requests: await a(l.requests),
      custody: await a(l.custody),
      anchors: await a(l.anchors),
    },
  };
}

/** Evidence sealed for real (age, one pass), registered by MX, transferred to the US; files on disk. */
export async function deliveredEvidence(l: Ledger) {
  const deployment = await deploymentOf(l);
  const client = (s: Signer) => createLedgerClient({ deployment, runner: s });
  const { requestId } = await (
    await R.submitRequest(client(l.us.authority), { requestedState: "MX", treatyId: l.bilateral, assistanceTypes: BANK_AND_ELECTRONIC, documentDigest: digest() })
  ).wait();
  for (const step of [R.acknowledgeRequest, R.acceptRequest, R.startExecution]) {
    await (await step(client(l.mx.authority), { requestId, documentDigest: digest() })).wait();
  }
  const plaintext = join(evidenceDir, `${randomId().slice(2, 10)}.img`);
  writeFileSync(plaintext, Buffer.from("seized phone image " + randomId().repeat(3000)));
  const ageFile = plaintext + ".age";
  const us = generateIdentity();
  const sealed = await sealPayload(createReadStream(plaintext), createWriteStream(ageFile), { recipients: [us.recipient] });
  const evidenceId = randomId();
  await (
    await C.registerEvidence(client(l.mx.agency), {
      evidenceId,
      requestId,
      payloadDigest: sealed.payloadDigest,
      contentCommitment: sealed.contentCommitment,
      manifestDigest: digest(),
    })
  ).wait();
  const expiresAt = (await latestTimestamp()) + DAY;
  await (await C.offerCustody(client(l.mx.agency), { evidenceId, toState: "US", expiresAt, documentDigest: digest() })).wait();
  await (await C.acceptCustody(client(l.us.agency), { evidenceId, heldPayloadDigest: sealed.payloadDigest })).wait();
  const bundle = await createVerificationBundle(client(l.us.verifier), evidenceId, sealed);
  const identityFile = ageFile + ".key";
  writeFileSync(identityFile, formatIdentityFile(us), { mode: 0o600 });
  return { deployment, client, evidenceId, plaintext, ageFile, identityFile, sealed, bundle };
}

