/**
 * Unbounded loops. No call may cost more as the ledger's history grows: every state-changing function is
 * measured after a history of 1 and of HISTORY entries of the kind a loop would walk (requests, evidence
 * items, custody entries of one item, clarification rounds of one request, anchors, accounts, key versions,
 * proposals, treaties, ratifications, relayed requests of one signer), and its execution gas (gas used less
 * the 21,000 base and the calldata, which differ with the random ids) must be exactly the same.
 * The only loops in the contracts run over a proposal's voters and a treaty's party list, both bounded by
 * the number of states (MAX_STATES): the second half shows that an oversized party list stops at its first
 * repeated or unknown state, whatever its length.
 */
import { describe, it, expect } from "vitest";
import hre from "hardhat";
import { Wallet, getBytes, type ContractTransactionResponse, type TransactionReceipt } from "ethers";
import { CustodyAction, Priority, ProposalKind, RefusalReason } from "../../../sdk/src/ledger/types";
import {
  DAY,
  ES,
  MX,
  US,
  digest,
  foundedConsortium,
  latestTimestamp,
  randomId,
  useFixture,
  type Ledger,
} from "../../helpers/ledger";
import { forExecute, signRequest } from "../relay/helpers";
import { BANK_RECORDS, submission } from "../requests/helpers";
import { ZERO_ADDRESS } from "../custody/helpers";
import { mineInOneBlock, traceOf } from "./helpers";

const ledger = useFixture(foundedConsortium);

/** The long history each call is measured after (and compared with a history of 1). */
const HISTORY = 200;

type Sent = ContractTransactionResponse;

/** Gas used by a mined transaction less its intrinsic cost: 21,000 and 4 / 16 gas per zero / other calldata byte. */
async function executionGas(tx: Sent): Promise<bigint> {
  const receipt = (await tx.wait())!;
  const calldata = getBytes(tx.data).reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
  return receipt.gasUsed - 21_000n - calldata;
}

/** Sends `n` transactions one after another (each mined on its own under automine). */
async function times(n: number, send: (i: number) => Promise<Sent>): Promise<void> {
  for (let i = 0; i < n; i++) await (await send(i)).wait();
}

const submit = (l: Ledger, requestId = randomId()) => l.requests.connect(l.us.authority).submitRequest(submission(l, { requestId }));

/** A request from the US to MX, in execution. */
async function inExecution(l: Ledger): Promise<string> {
  const id = randomId();
  await (await submit(l, id)).wait();
  const mx = l.requests.connect(l.mx.authority);
  for (const step of [mx.acknowledge, mx.accept, mx.startExecution]) await (await step(id, digest())).wait();
  return id;
}

const registration = (requestId: string) => ({
  evidenceId: randomId(),
  requestId,
  payloadDigest: digest(),
  contentCommitment: digest(),
  manifestDigest: digest(),
  custodianAccount: ZERO_ADDRESS,
});

/** One measured scenario: `run(l, history)` builds `history` entries, then sends the calls it measures. */
interface Scenario {
  name: string;
  history: string;
  run(l: Ledger, history: number): Promise<[string, Sent][]>;
}

const SCENARIOS: Scenario[] = [
  {
    name: "every RequestRegistry call",
    history: "requests in the registry",
    run: async (l, history) => {
      await times(history, () => submit(l));
      const [us, mx] = [l.requests.connect(l.us.authority), l.requests.connect(l.mx.authority)];
      const sent: [string, Sent][] = [];
      const ids = [randomId(), randomId(), randomId(), randomId()];
      for (const id of ids) sent.push(["submitRequest", await submit(l, id)]);
      const [full, refused, partial, withdrawn] = ids as [string, string, string, string];
      sent.push(["acknowledge", await mx.acknowledge(full, digest())]);
      sent.push(["requestClarification", await mx.requestClarification(full, digest())]);
      sent.push(["provideClarification", await us.provideClarification(full, digest())]);
      sent.push(["accept", await mx.accept(full, digest())]);
      sent.push(["startExecution", await mx.startExecution(full, digest())]);
      sent.push(["complete", await mx.complete(full, digest())]);
      sent.push(["close", await us.close(full, digest())]);
      await (await mx.acknowledge(refused, digest())).wait();
      sent.push(["refuse", await mx.refuse(refused, RefusalReason.DualCriminalityAbsent, digest())]);
      await (await mx.acknowledge(partial, digest())).wait();
      sent.push(["partiallyAccept", await mx.partiallyAccept(partial, BANK_RECORDS, digest())]);
      const respondBy = (await l.requests.request(withdrawn)).respondBy;
      sent.push(["extendDeadline", await us.extendDeadline(withdrawn, respondBy + 7n * BigInt(DAY), digest())]);
      sent.push(["changePriority", await us.changePriority(withdrawn, Priority.Urgent, digest())]);
      sent.push(["withdraw", await us.withdraw(withdrawn, digest())]);
      return sent;
    },
  },
  {
    name: "the lifecycle steps of a request",
    history: "clarification rounds (two entries each) of that request",
    run: async (l, history) => {
      const id = randomId();
      await (await submit(l, id)).wait();
      const [us, mx] = [l.requests.connect(l.us.authority), l.requests.connect(l.mx.authority)];
      await (await mx.acknowledge(id, digest())).wait();
      for (let i = 0; i < Math.ceil(history / 2); i++) {
        await (await mx.requestClarification(id, digest())).wait();
        await (await us.provideClarification(id, digest())).wait();
      }
      return [
        ["accept", await mx.accept(id, digest())],
        ["startExecution", await mx.startExecution(id, digest())],
        ["complete", await mx.complete(id, digest())],
        ["close", await us.close(id, digest())],
      ];
    },
  },
  {
    name: "every EvidenceCustody call",
    history: "evidence items registered",
    run: async (l, history) => {
      const requestId = await inExecution(l);
      await times(history, () => l.custody.connect(l.mx.agency).registerEvidence(registration(requestId)));
      const r = registration(requestId);
      return custodyCalls(l, r, [["registerEvidence", await l.custody.connect(l.mx.agency).registerEvidence(r)]]);
    },
  },
  {
    name: "every EvidenceCustody call on one item",
    history: "custody entries of that item (offers and cancellations)",
    run: async (l, history) => {
      const r = registration(await inExecution(l));
      await (await l.custody.connect(l.mx.agency).registerEvidence(r)).wait();
      for (let i = 0; i < Math.ceil(history / 2); i++) {
        const expiresAt = (await latestTimestamp()) + DAY;
        await (await l.custody.connect(l.mx.agency).offerCustody(r.evidenceId, US, ZERO_ADDRESS, expiresAt, digest())).wait();
        await (await l.custody.connect(l.mx.agency).cancelOffer(r.evidenceId)).wait();
      }
      return custodyCalls(l, r, []);
    },
  },
  {
    name: "BatchAnchor.anchor",
    history: "batches anchored by the state",
    run: async (l, history) => {
      const anchors = l.anchors.connect(l.mx.gateway);
      await times(history, () => anchors.anchor(randomId(), 64, digest()));
      return [["anchor", await anchors.anchor(randomId(), 64, digest())]];
    },
  },
  {
    name: "Consortium.setAccountRoles",
    history: "accounts of the state",
    run: async (l, history) => {
      const mx = l.consortium.connect(l.mx.authority);
      await times(history, () => mx.setAccountRoles(Wallet.createRandom().address, 2));
      const account = Wallet.createRandom().address;
      return [
        ["setAccountRoles (new account)", await mx.setAccountRoles(account, 2)],
        ["setAccountRoles (change)", await mx.setAccountRoles(account, 6)],
        ["setAccountRoles (release)", await mx.setAccountRoles(account, 0)],
      ];
    },
  },
  {
    name: "Consortium.rotateEncryptionKey and setGatewayUrl",
    history: "key versions and gateway changes of the state",
    run: async (l, history) => {
      const mx = l.consortium.connect(l.mx.authority);
      const url = () => `https://gateway.mx.example/${randomId()}`;
      await times(history, () => mx.rotateEncryptionKey(randomId()));
      await times(history, () => mx.setGatewayUrl(url()));
      return [
        ["rotateEncryptionKey", await mx.rotateEncryptionKey(randomId())],
        ["setGatewayUrl", await mx.setGatewayUrl(url())],
      ];
    },
  },
  {
    name: "every governance call",
    history: "proposals made",
    run: async (l, history) => {
      const threshold = (bps: number) => ({
        kind: ProposalKind.ChangeThreshold,
        target: "0x0000",
        thresholdBps: bps,
        initialAuthority: ZERO_ADDRESS,
        encryptionKey: hre.ethers.ZeroHash,
        gatewayUrl: "",
        descriptionDigest: randomId(),
      });
      const [us, mx, es] = [l.us, l.mx, l.es].map((s) => l.consortium.connect(s.authority)) as [
        typeof l.consortium,
        typeof l.consortium,
        typeof l.consortium,
      ];
      await times(history, () => us.propose(threshold(9000), 3600));
      // Always a new value, so that execute's write changes the stored threshold (as a no-op write costs less).
      const p = threshold(Number(await l.consortium.thresholdBps()) === 6000 ? 7000 : 6000);
      const id = await l.consortium.proposalId(p);
      return [
        ["propose", await us.propose(p, 3600)],
        ["vote", await mx.vote(id)],
        ["withdrawVote", await mx.withdrawVote(id)],
        ["vote again", await mx.vote(id)],
        ["execute", await es.execute(id)],
      ];
    },
  },
  {
    name: "every TreatyRegistry call",
    history: "treaties registered",
    run: async (l, history) => {
      const us = l.treaties.connect(l.us.authority);
      await times(history, () => us.registerTreaty(randomId(), digest(), 0xff, DAY, 30 * DAY, []));
      const open = randomId();
      return [
        ["registerTreaty (open)", await us.registerTreaty(open, digest(), 0xff, DAY, 30 * DAY, [])],
        ["registerTreaty (bilateral)", await us.registerTreaty(randomId(), digest(), 0xff, DAY, 30 * DAY, [US, MX])],
        ["ratify", await l.treaties.connect(l.es.authority).ratify(open)],
        ["denounce", await l.treaties.connect(l.es.authority).denounce(open)],
      ];
    },
  },
  {
    name: "TreatyRegistry.ratify and denounce of one treaty",
    history: "ratifications and denunciations of that treaty",
    run: async (l, history) => {
      const es = l.treaties.connect(l.es.authority);
      for (let i = 0; i < Math.ceil(history / 2); i++) {
        await (await es.denounce(l.untoc)).wait();
        await (await es.ratify(l.untoc)).wait();
      }
      return [
        ["denounce", await es.denounce(l.untoc)],
        ["ratify", await es.ratify(l.untoc)],
      ];
    },
  },
  {
    name: "MlatForwarder.execute",
    history: "requests relayed for the signer",
    run: async (l, history) => {
      const relayed = async () => {
        const request = await signRequest(l, {
          signer: l.mx.authority,
          to: await l.consortium.getAddress(),
          data: l.consortium.interface.encodeFunctionData("setGatewayUrl", [`https://gateway.mx.example/${randomId()}`]),
        });
        return l.forwarder.connect(l.mx.gateway).execute(forExecute(request));
      };
      await times(history, relayed);
      return [["execute (relayed setGatewayUrl)", await relayed()]];
    },
  },
];

/** The custody calls of one item registered by MX: offer to the US, accept, re-encrypt, offer back, reject, offer, cancel, dispose. */
async function custodyCalls(l: Ledger, r: ReturnType<typeof registration>, sent: [string, Sent][]): Promise<[string, Sent][]> {
  const [mx, us] = [l.custody.connect(l.mx.agency), l.custody.connect(l.us.agency)];
  const expiry = async () => (await latestTimestamp()) + DAY;
  sent.push(["offerCustody", await mx.offerCustody(r.evidenceId, US, ZERO_ADDRESS, await expiry(), digest())]);
  sent.push(["acceptCustody", await us.acceptCustody(r.evidenceId, r.payloadDigest)]);
  sent.push(["recordReencryption", await us.recordReencryption(r.evidenceId, digest())]);
  sent.push(["offerCustody (back)", await us.offerCustody(r.evidenceId, MX, ZERO_ADDRESS, await expiry(), digest())]);
  sent.push(["rejectCustody", await mx.rejectCustody(r.evidenceId, digest())]);
  sent.push(["offerCustody (again)", await us.offerCustody(r.evidenceId, ES, ZERO_ADDRESS, await expiry(), digest())]);
  sent.push(["cancelOffer", await us.cancelOffer(r.evidenceId)]);
  sent.push(["dispose", await us.dispose(r.evidenceId, CustodyAction.Returned, digest())]);
  return sent;
}

async function gasOf(sent: [string, Sent][]): Promise<Record<string, bigint>> {
  const gas: Record<string, bigint> = {};
  for (const [name, tx] of sent) gas[name] = await executionGas(tx);
  return gas;
}

describe("gas does not grow with history", () => {
  it.each(SCENARIOS)(`$name costs the same after 1 and after ${HISTORY} $history`, async (s) => {
    const l = ledger();
    const short = await gasOf(await s.run(l, 1));
    const long = await gasOf(await s.run(l, HISTORY));
    expect(Object.keys(short).length).toBeGreaterThan(0);
    expect(long).toEqual(short);
  });
});

// ─── list inputs ─────────────────────────────────────────────────────────────────────────

/** Mines a transaction that must revert (fixed gas limit: no estimate) and returns its receipt. */
async function mineFailing(send: () => Promise<Sent>): Promise<TransactionReceipt> {
  const [receipt] = await mineInOneBlock([send]);
  expect(receipt!.status).toBe(0);
  return receipt!;
}

describe("TreatyRegistry.registerTreaty's party list", () => {
  const register = (l: Ledger, treatyId: string, parties: string[]) => () =>
    l.treaties.connect(l.us.authority).registerTreaty(treatyId, digest(), 0xff, DAY, 30 * DAY, parties, { gasLimit: 5_000_000 });
  const cycle = (n: number) => Array.from({ length: n }, (_, i) => [US, MX, ES][i % 3]!);

  it.each([4, 257, 1000])(
    "stops at the first repeated state of a %i-entry list with TreatyInvalidParties, after as many lookups as 4 entries take",
    async (n) => {
      const l = ledger();
      const treatyId = randomId();
      const receipt = await mineFailing(register(l, treatyId, cycle(n)));
      // One lookup of the caller's membership, then one per party up to the repeated one (the fourth).
      expect(await traceOf(receipt.hash)).toEqual({ failed: true, staticCalls: 5, error: "TreatyInvalidParties", args: [treatyId] });
    },
  );

  it("stops at the first state never admitted in a list of 257 distinct codes (ConsortiumUnexpectedStateStatus)", async () => {
    const l = ledger();
    const codes = Array.from({ length: 257 }, (_, i) => `0x${(0x41 + Math.floor(i / 26)).toString(16)}${(0x41 + (i % 26)).toString(16)}`);
    const receipt = await mineFailing(register(l, randomId(), [US, ...codes]));
    // "AA" is the first unknown code, after US.
    expect(await traceOf(receipt.hash)).toEqual({
      failed: true,
      staticCalls: 3,
      error: "ConsortiumUnexpectedStateStatus",
      args: ["0x4141", 0n],
    });
  });

  it("costs the caller under 100 gas per extra entry beyond calldata (decoding and copying, no lookups)", async () => {
    const l = ledger();
    const gas = async (n: number) => {
      const receipt = await mineFailing(register(l, randomId(), cycle(n)));
      const tx = await hre.ethers.provider.getTransaction(receipt.hash);
      const calldata = getBytes(tx!.data).reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
      return receipt.gasUsed - 21_000n - calldata;
    };
    const [small, large] = [await gas(4), await gas(1000)];
    expect(large).toBeGreaterThanOrEqual(small);
    expect((large - small) / 996n).toBeLessThan(100n);
  });
});
