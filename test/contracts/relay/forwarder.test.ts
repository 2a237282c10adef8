/**
 * Relayed transactions: MX's agency (or central authority) signs an EIP-712 ForwardRequest and MX's gateway
 * relays it through MlatForwarder; the ledger contracts see the signer as `_msgSender()`.
 */
import { describe, it, expect } from "vitest";
import hre from "hardhat";
import { MlatForwarder__factory } from "../../../typechain-types";
import {
  DAY,
  MX,
  US,
  digest,
  foundedConsortium,
  latestTimestamp,
  randomId,
  requestInExecution,
  submittedRequest,
  useFixture,
  type Ledger,
} from "../../helpers/ledger";
import { decodeRevert, expectRevert } from "../../helpers/reverts";
import { forwarderDomain } from "../../../sdk/src/crypto/forwardRequest";
import { RequestStatus, Role } from "../../../sdk/src/ledger/types";
import { addr, atNextBlock, emitted, fields, onlyEvent } from "../requests/helpers";
import { forExecute, recoveredNow, signRequest, type SignedRequest } from "./helpers";

const ledger = useFixture(foundedConsortium);
const ZERO_ADDRESS = hre.ethers.ZeroAddress;

/** An evidence registration under a fresh request in execution, signed by `signer` (default MX's agency). */
async function signedRegistration(l: Ledger, o: Partial<Parameters<typeof signRequest>[1]> = {}) {
  const { requestId } = await requestInExecution(l);
  const registration = {
    evidenceId: randomId(),
    requestId,
    payloadDigest: digest(),
    contentCommitment: digest(),
    manifestDigest: digest(),
    custodianAccount: ZERO_ADDRESS,
  };
  const request = await signRequest(l, {
    signer: l.mx.agency,
    to: await l.custody.getAddress(),
    data: l.custody.interface.encodeFunctionData("registerEvidence", [registration]),
    ...o,
  });
  return { registration, request };
}

const relay = (l: Ledger, r: SignedRequest) => l.forwarder.connect(l.mx.gateway).execute(forExecute(r));

describe("MlatForwarder", () => {
  it("is trusted by every ledger contract", async () => {
    const l = ledger();
    const fwd = await l.forwarder.getAddress();
    for (const c of [l.consortium, l.treaties, l.requests, l.custody, l.anchors]) {
      expect(await c.isTrustedForwarder(fwd)).toBe(true);
      expect(await c.trustedForwarder()).toBe(fwd);
    }
  });

  it("signs under the EIP-712 domain MlatForwarder v1 of this chain and address", async () => {
    const l = ledger();
    const d = await l.forwarder.eip712Domain();
    const { chainId } = await hre.ethers.provider.getNetwork();
    const expected = forwarderDomain(chainId, await l.forwarder.getAddress());
    expect({ name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract }).toEqual(
      expected,
    );
    expect(expected).toMatchObject({ name: "MlatForwarder", version: "1" });
  });
});

describe("MlatForwarder.execute", () => {
  it("relays the agency's registerEvidence: the custody contract sees the agency as the actor", async () => {
    const l = ledger();
    const { registration, request } = await signedRegistration(l);
    const agency = await addr(l.mx.agency);
    expect(await l.forwarder.verify(forExecute(request))).toBe(true);
    const agencyBalance = await hre.ethers.provider.getBalance(agency);
    const tx = await relay(l, request);
    const registered = await onlyEvent(tx, l.custody, l.custody.getEvent("EvidenceRegistered"));
    expect(fields(registered)).toMatchObject({
      evidenceId: registration.evidenceId,
      custodianState: MX,
      actor: agency,
    });
    const executed = await onlyEvent(tx, l.forwarder, l.forwarder.getEvent("ExecutedForwardRequest"));
    expect(fields(executed)).toEqual({ signer: agency, nonce: 0, success: true });
    expect(await l.forwarder.nonces(agency)).toBe(1n);
    expect(await hre.ethers.provider.getBalance(agency)).toBe(agencyBalance);
  });

  it("relays a central authority's lifecycle action the same way", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const request = await signRequest(l, {
      signer: l.mx.authority,
      to: await l.requests.getAddress(),
      data: l.requests.interface.encodeFunctionData("acknowledge", [requestId, digest()]),
    });
    const e = await onlyEvent(relay(l, request), l.requests, l.requests.getEvent("RequestStatusChanged"));
    expect(fields(e)).toMatchObject({ actorState: MX, actor: await addr(l.mx.authority), newStatus: RequestStatus.Acknowledged });
  });

  it("is permissionless: anyone may relay, authority comes from the signer", async () => {
    const l = ledger();
    const { request } = await signedRegistration(l);
    const tx = await l.forwarder.connect(l.strangers[0]!).execute(forExecute(request));
    const e = await onlyEvent(tx, l.custody, l.custody.getEvent("EvidenceRegistered"));
    expect(e.actor).toBe(await addr(l.mx.agency));
  });

  it("refuses a replayed request (same nonce) with ERC2771ForwarderInvalidSigner", async () => {
    const l = ledger();
    const { request } = await signedRegistration(l);
    await (await relay(l, request)).wait();
    expect(await l.forwarder.verify(forExecute(request))).toBe(false);
    await expectRevert(relay(l, request), "ERC2771ForwarderInvalidSigner", [await recoveredNow(l, request), request.from]);
  });

  it("refuses a request whose deadline has passed with ERC2771ForwarderExpiredRequest", async () => {
    const l = ledger();
    const now = (await latestTimestamp()) + 10;
    const { request } = await signedRegistration(l, { deadline: now - 1 });
    await atNextBlock(now);
    await expectRevert(relay(l, request), "ERC2771ForwarderExpiredRequest", [now - 1]);
  });

  it("accepts a request up to its deadline, inclusive", async () => {
    const l = ledger();
    const now = (await latestTimestamp()) + 10;
    const { request } = await signedRegistration(l, { deadline: now });
    await atNextBlock(now);
    await (await relay(l, request)).wait();
    expect(await l.forwarder.nonces(request.from)).toBe(1n);
  });

  it("refuses a request signed for another chain id with ERC2771ForwarderInvalidSigner", async () => {
    const l = ledger();
    const { request } = await signedRegistration(l, { chainId: 1n });
    const recovered = await recoveredNow(l, request);
    expect(recovered).not.toBe(request.from);
    await expectRevert(relay(l, request), "ERC2771ForwarderInvalidSigner", [recovered, request.from]);
  });

  it("refuses a request signed for another forwarder with ERC2771ForwarderInvalidSigner", async () => {
    const l = ledger();
    const other = await new MlatForwarder__factory(l.mx.gateway).deploy();
    await other.waitForDeployment();
    const { request } = await signedRegistration(l, { forwarder: await other.getAddress() });
    // The expected signer first: a relay promise created before an await could reject with no handler yet.
    const recovered = await recoveredNow(l, request);
    await expectRevert(relay(l, request), "ERC2771ForwarderInvalidSigner", [recovered, request.from]);
  });

  it("refuses, at another forwarder, a target that does not trust it with ERC2771UntrustfulTarget", async () => {
    const l = ledger();
    const other = await new MlatForwarder__factory(l.mx.gateway).deploy();
    await other.waitForDeployment();
    const { request } = await signedRegistration(l, { forwarder: await other.getAddress() });
    expect(await other.verify(forExecute(request))).toBe(false);
    await expectRevert(other.connect(l.mx.gateway).execute(forExecute(request)), "ERC2771UntrustfulTarget", [
      await l.custody.getAddress(),
      await other.getAddress(),
    ]);
  });

  it("refuses a request whose call data the relayer altered with ERC2771ForwarderInvalidSigner", async () => {
    const l = ledger();
    const { registration, request } = await signedRegistration(l);
    const altered = {
      ...request,
      data: l.custody.interface.encodeFunctionData("registerEvidence", [{ ...registration, payloadDigest: digest() }]),
    };
    // The expected signer first: a relay promise created before an await could reject with no handler yet.
    const recovered = await recoveredNow(l, altered);
    await expectRevert(relay(l, altered), "ERC2771ForwarderInvalidSigner", [recovered, request.from]);
  });

  describe("a signer without the role", () => {
    it("makes execute revert with OpenZeppelin's FailedCall; the simulated forwarded call gives the custom error", async () => {
      // OpenZeppelin 5.7's execute() does not bubble the target's revert data (it reverts FailedCall), so a
      // relayer learns the reason by simulating the forwarded call: from the forwarder, with the signer
      // appended to the call data as ERC-2771 does.
      const l = ledger();
      const { request } = await signedRegistration(l, { signer: l.mx.verifier });
      const verifier = await addr(l.mx.verifier);
      await expectRevert(relay(l, request), "FailedCall", []);
      expect(await l.forwarder.nonces(verifier)).toBe(0n);
      let simulated: unknown;
      try {
        await hre.ethers.provider.call({
          from: await l.forwarder.getAddress(),
          to: request.to,
          data: request.data + verifier.slice(2),
        });
      } catch (e) {
        simulated = e;
      }
      const decoded = decodeRevert(simulated);
      expect(decoded?.name).toBe("ConsortiumUnauthorizedAccount");
      expect([...decoded!.args]).toEqual([verifier, 3n]);
    });

    it("is recorded as a failed call, nonce consumed, in a batch with a refund receiver", async () => {
      const l = ledger();
      const { request } = await signedRegistration(l, { signer: l.mx.verifier });
      const tx = await l.forwarder.connect(l.mx.gateway).executeBatch([forExecute(request)], await addr(l.mx.gateway));
      const [executed] = await emitted(tx, l.forwarder, l.forwarder.getEvent("ExecutedForwardRequest"));
      expect(fields(executed!)).toEqual({ signer: request.from, nonce: 0, success: false });
      expect(await emitted(tx, l.custody, l.custody.getEvent("EvidenceRegistered"))).toEqual([]);
      expect(await l.forwarder.nonces(request.from)).toBe(1n);
    });
  });

  describe("a signer removed after signing", () => {
    const removeAgency = async (l: Ledger, roles: number) =>
      (await l.consortium.connect(l.mx.authority).setAccountRoles(await addr(l.mx.agency), roles)).wait();

    it("cannot have its request relayed: FailedCall, nothing registered, the nonce stays unused", async () => {
      const l = ledger();
      const { registration, request } = await signedRegistration(l);
      await removeAgency(l, 0);
      expect(await l.forwarder.verify(forExecute(request))).toBe(true); // the signature is still well formed
      await expectRevert(relay(l, request), "FailedCall", []);
      expect((await l.custody.evidence(registration.evidenceId)).requestId).toBe(hre.ethers.ZeroHash);
      expect(await l.forwarder.nonces(request.from)).toBe(0n);
    });

    it("gets its unexpired request back only if its state gives the role back: the deadline bounds a stale signature", async () => {
      const l = ledger();
      const now = await latestTimestamp();
      const first = await signedRegistration(l, { deadline: now + 600 });
      await removeAgency(l, 0);
      await expectRevert(relay(l, first.request), "FailedCall", []);
      await removeAgency(l, Role.AGENCY);
      await (await relay(l, first.request)).wait();
      expect((await l.custody.evidence(first.registration.evidenceId)).requestId).toBe(first.registration.requestId);

      const second = await signedRegistration(l, { deadline: now + 1200 });
      await removeAgency(l, 0);
      await atNextBlock(now + 1201);
      await removeAgency(l, Role.AGENCY);
      await expectRevert(relay(l, second.request), "ERC2771ForwarderExpiredRequest", [now + 1200]);
    });
  });

  it("ignores an ERC-2771 suffix on a direct call: only the trusted forwarder's is read", async () => {
    const l = ledger();
    const { request } = await signedRegistration(l);
    await expectRevert(
      l.mx.verifier.sendTransaction({ to: request.to, data: request.data + request.from.slice(2) }),
      "ConsortiumUnauthorizedAccount",
      [await addr(l.mx.verifier), 3],
    );
  });
});

describe("MlatForwarder.executeBatch", () => {
  it("relays several signed requests of several signers in one transaction", async () => {
    const l = ledger();
    const { registration, request: register } = await signedRegistration(l);
    const expiresAt = (await latestTimestamp()) + DAY;
    const offerDigest = digest();
    const offer = await signRequest(l, {
      signer: l.mx.agency,
      to: await l.custody.getAddress(),
      data: l.custody.interface.encodeFunctionData("offerCustody", [
        registration.evidenceId,
        US,
        ZERO_ADDRESS,
        expiresAt,
        offerDigest,
      ]),
      nonce: register.nonce + 1n,
    });
    const root = randomId();
    const anchor = await signRequest(l, {
      signer: l.mx.authority,
      to: await l.anchors.getAddress(),
      data: l.anchors.interface.encodeFunctionData("anchor", [root, 3, digest()]),
    });
    const tx = await l.forwarder.connect(l.mx.gateway).executeBatch([register, offer, anchor].map(forExecute), ZERO_ADDRESS);
    const executed = await emitted(tx, l.forwarder, l.forwarder.getEvent("ExecutedForwardRequest"));
    expect(executed.map(fields)).toEqual([
      { signer: await addr(l.mx.agency), nonce: 0, success: true },
      { signer: await addr(l.mx.agency), nonce: 1, success: true },
      { signer: await addr(l.mx.authority), nonce: 0, success: true },
    ]);
    const [registered] = await emitted(tx, l.custody, l.custody.getEvent("EvidenceRegistered"));
    const [offered] = await emitted(tx, l.custody, l.custody.getEvent("CustodyRecorded"));
    const [anchored] = await emitted(tx, l.anchors, l.anchors.getEvent("BatchAnchored"));
    expect(registered!.actor).toBe(await addr(l.mx.agency));
    expect(fields(offered!)).toMatchObject({ actor: await addr(l.mx.agency), counterpartState: US, digest: offerDigest });
    expect(fields(anchored!)).toMatchObject({ root, state: MX, actor: await addr(l.mx.authority) });
  });

  it("with a refund receiver, skips an invalid request and relays the others", async () => {
    const l = ledger();
    const first = await signedRegistration(l);
    await (await relay(l, first.request)).wait();
    const second = await signedRegistration(l);
    const tx = await l.forwarder
      .connect(l.mx.gateway)
      .executeBatch([first.request, second.request].map(forExecute), await addr(l.mx.gateway));
    const executed = await emitted(tx, l.forwarder, l.forwarder.getEvent("ExecutedForwardRequest"));
    expect(executed.map(fields)).toEqual([{ signer: second.request.from, nonce: 1, success: true }]);
    const registered = await emitted(tx, l.custody, l.custody.getEvent("EvidenceRegistered"));
    expect(registered.map((e) => e.evidenceId)).toEqual([second.registration.evidenceId]);
  });

  it("without a refund receiver, reverts the whole batch on an invalid request", async () => {
    const l = ledger();
    const first = await signedRegistration(l);
    await (await relay(l, first.request)).wait();
    const second = await signedRegistration(l);
    await expectRevert(
      l.forwarder.connect(l.mx.gateway).executeBatch([second.request, first.request].map(forExecute), ZERO_ADDRESS),
      "ERC2771ForwarderInvalidSigner",
    );
    expect((await l.custody.evidence(second.registration.evidenceId)).requestId).toBe(hre.ethers.ZeroHash);
  });
});
