/**
 * Authorization matrix: every state-changing function of RequestRegistry, EvidenceCustody and BatchAnchor
 * against every kind of actor, one test per pair, each either allowed (its event names the caller as
 * actor) or reverted with the exact custom error.
 *
 * "Own" is the state the function belongs to in the prepared case (the requesting or requested state of a
 * request from the US to MX, the custodian, the offer's recipient, any state for anchors); "counterpart"
 * is the other party; ES is the third state. The suspended actor is the own state's central authority
 * after a governance vote suspended that state.
 */
import { describe, it, expect } from "vitest";
import type { BaseContract, ContractTransactionResponse, FunctionFragment, Signer } from "ethers";
import type { TypedContractEvent } from "../../../typechain-types/common";
import {
  DAY,
  ES,
  MX,
  US,
  latestTimestamp,
  digest,
  foundedConsortium,
  offeredEvidence,
  randomId,
  registeredEvidence,
  requestInExecution,
  useFixture,
  type Ledger,
  type StateAccounts,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { CustodyAction, Priority, RefusalReason, RequestStatus, Role, StateStatus } from "../../../sdk/src/ledger/types";
import {
  BANK_RECORDS,
  addr,
  onlyEvent,
  requestEvent,
  requestsInEveryStatus,
  submission,
  suspendState,
  type RequestEventName,
} from "./helpers";

const CA = Role.CENTRAL_AUTHORITY;
const CUSTODY = Role.AGENCY | Role.CENTRAL_AUTHORITY;
const ANCHOR = Role.GATEWAY | Role.CENTRAL_AUTHORITY;
const FAR_FUTURE = 4_000_000_000;
const ZERO_ADDRESS = "0x" + "00".repeat(20);

/** The cases each function acts on, built once for the file. */
async function fixture() {
  const l = await foundedConsortium();
  const requests = await requestsInEveryStatus(l);
  const underExecution = (await requestInExecution(l)).requestId;
  const registered = await registeredEvidence(l);
  const offered = await offeredEvidence(l);
  return { l, requests, underExecution, registered, offered, submission: submission(l) };
}
type Cases = Awaited<ReturnType<typeof fixture>>;

/** "allowed", or the custom error's name and a builder of its arguments. */
type Outcome = "allowed" | [error: string, args: (c: Cases, caller: string) => unknown[]];
type StateKey = "us" | "mx" | "es";

interface Operation {
  name: string;
  /** The state the function belongs to in the prepared case. */
  own: StateKey;
  /** The other party (for anchors: another state, equally entitled). */
  counterpart: StateKey;
  /** Roles that may call it. */
  roles: number;
  send(c: Cases, signer: Signer): Promise<ContractTransactionResponse>;
  /** The event a successful call emits, whose `actor` must be the caller. */
  event(l: Ledger): [BaseContract, TypedContractEvent];
  /** What an entitled role of a state other than `own` gets. */
  otherState(state: StateKey): Outcome;
}

const code = (state: StateKey): string => ({ us: US, mx: MX, es: ES })[state];

/** A lifecycle action of RequestRegistry on the prepared request in `status`. */
function lifecycle(
  name: string,
  side: "requesting" | "requested",
  status: RequestStatus,
  call: (r: Ledger["requests"], id: string) => Promise<ContractTransactionResponse>,
  eventName: RequestEventName = "RequestStatusChanged",
): Operation {
  return {
    name: `RequestRegistry.${name}`,
    own: side === "requesting" ? "us" : "mx",
    counterpart: side === "requesting" ? "mx" : "us",
    roles: CA,
    send: (c, s) => call(c.l.requests.connect(s), c.requests[status]),
    event: (l) => [l.requests, requestEvent(l, eventName)],
    otherState: (state) => ["RequestNotParty", (c) => [c.requests[status], code(state)]],
  };
}

const custodian = (
  name: string,
  call: (c: Cases, s: Signer) => Promise<ContractTransactionResponse>,
  which: "registered" | "offered",
): Operation => ({
  name: `EvidenceCustody.${name}`,
  own: "mx",
  counterpart: "us",
  roles: CUSTODY,
  send: call,
  event: (l) => [l.custody, l.custody.getEvent("CustodyRecorded")],
  otherState: () => ["CustodyNotCustodian", (c, caller) => [c[which].evidenceId, caller]],
});

const recipient = (name: string, call: (c: Cases, s: Signer) => Promise<ContractTransactionResponse>): Operation => ({
  name: `EvidenceCustody.${name}`,
  own: "us",
  counterpart: "mx",
  roles: CUSTODY,
  send: call,
  event: (l) => [l.custody, l.custody.getEvent("CustodyRecorded")],
  otherState: () => ["CustodyNotRecipient", (c, caller) => [c.offered.evidenceId, caller]],
});

const OPERATIONS: Operation[] = [
  {
    name: "RequestRegistry.submitRequest",
    own: "us",
    counterpart: "mx",
    roles: CA,
    send: (c, s) => c.l.requests.connect(s).submitRequest(c.submission),
    event: (l) => [l.requests, l.requests.getEvent("RequestSubmitted")],
    otherState: (state) =>
      state === "mx" ? ["RequestSelfAddressed", () => [MX]] : ["TreatyNotRatified", (c) => [c.l.bilateral, code(state)]],
  },
  lifecycle("acknowledge", "requested", RequestStatus.Submitted, (r, id) => r.acknowledge(id, digest())),
  lifecycle("requestClarification", "requested", RequestStatus.Acknowledged, (r, id) =>
    r.requestClarification(id, digest()),
  ),
  lifecycle("provideClarification", "requesting", RequestStatus.ClarificationRequested, (r, id) =>
    r.provideClarification(id, digest()),
  ),
  lifecycle("accept", "requested", RequestStatus.Acknowledged, (r, id) => r.accept(id, digest())),
  lifecycle(
    "partiallyAccept",
    "requested",
    RequestStatus.Acknowledged,
    (r, id) => r.partiallyAccept(id, BANK_RECORDS, digest()),
    "RequestPartiallyAccepted",
  ),
  lifecycle(
    "refuse",
    "requested",
    RequestStatus.Acknowledged,
    (r, id) => r.refuse(id, RefusalReason.Other, digest()),
    "RequestRefused",
  ),
  lifecycle("startExecution", "requested", RequestStatus.Accepted, (r, id) => r.startExecution(id, digest())),
  lifecycle("complete", "requested", RequestStatus.InExecution, (r, id) => r.complete(id, digest())),
  lifecycle("close", "requesting", RequestStatus.Executed, (r, id) => r.close(id, digest())),
  lifecycle("withdraw", "requesting", RequestStatus.InExecution, (r, id) => r.withdraw(id, digest())),
  lifecycle(
    "extendDeadline",
    "requesting",
    RequestStatus.Submitted,
    (r, id) => r.extendDeadline(id, FAR_FUTURE, digest()),
    "RequestDeadlineExtended",
  ),
  lifecycle(
    "changePriority",
    "requesting",
    RequestStatus.Submitted,
    (r, id) => r.changePriority(id, Priority.Urgent, digest()),
    "RequestPriorityChanged",
  ),
  {
    name: "EvidenceCustody.registerEvidence",
    own: "mx",
    counterpart: "us",
    roles: CUSTODY,
    send: (c, s) =>
      c.l.custody.connect(s).registerEvidence({
        evidenceId: randomId(),
        requestId: c.underExecution,
        payloadDigest: digest(),
        contentCommitment: digest(),
        manifestDigest: digest(),
        custodianAccount: ZERO_ADDRESS,
      }),
    event: (l) => [l.custody, l.custody.getEvent("EvidenceRegistered")],
    otherState: (state) => ["CustodyNotExecutingState", (c) => [c.underExecution, code(state)]],
  },
  custodian(
    "offerCustody",
    async (c, s) =>
      c.l.custody
        .connect(s)
        .offerCustody(c.registered.evidenceId, c.l.us.code, ZERO_ADDRESS, (await latestTimestamp()) + DAY, digest()),
    "registered",
  ),
  custodian("cancelOffer", (c, s) => c.l.custody.connect(s).cancelOffer(c.offered.evidenceId), "offered"),
  custodian(
    "recordReencryption",
    (c, s) => c.l.custody.connect(s).recordReencryption(c.registered.evidenceId, digest()),
    "registered",
  ),
  custodian(
    "dispose",
    (c, s) => c.l.custody.connect(s).dispose(c.registered.evidenceId, CustodyAction.Destroyed, digest()),
    "registered",
  ),
  recipient("acceptCustody", (c, s) => c.l.custody.connect(s).acceptCustody(c.offered.evidenceId, c.offered.payloadDigest)),
  recipient("rejectCustody", (c, s) => c.l.custody.connect(s).rejectCustody(c.offered.evidenceId, digest())),
  {
    name: "BatchAnchor.anchor",
    own: "mx",
    counterpart: "us",
    roles: ANCHOR,
    send: (c, s) => c.l.anchors.connect(s).anchor(randomId(), 16, digest()),
    event: (l) => [l.anchors, l.anchors.getEvent("BatchAnchored")],
    otherState: () => "allowed",
  },
];

interface Actor {
  name: string;
  /** Prepares the actor (e.g. suspends its state) and returns its signer. */
  prepare(c: Cases, op: Operation): Promise<Signer>;
  expected(op: Operation): Outcome;
}

const accountsOf = (c: Cases, state: StateKey): StateAccounts => c.l[state];

const byRole = (role: number, key: "agency" | "gateway" | "verifier"): Actor => ({
  name: `own ${key}`,
  prepare: async (c, op) => accountsOf(c, op.own)[key],
  expected: (op) => (op.roles & role ? "allowed" : ["ConsortiumUnauthorizedAccount", (_c, caller) => [caller, op.roles]]),
});

const ACTORS: Actor[] = [
  { name: "own central authority", prepare: async (c, op) => accountsOf(c, op.own).authority, expected: () => "allowed" },
  byRole(Role.AGENCY, "agency"),
  byRole(Role.GATEWAY, "gateway"),
  byRole(Role.VERIFIER, "verifier"),
  {
    name: "counterpart state's central authority",
    prepare: async (c, op) => accountsOf(c, op.counterpart).authority,
    expected: (op) => op.otherState(op.counterpart),
  },
  {
    name: "third state's (ES) central authority",
    prepare: async (c) => c.l.es.authority,
    expected: (op) => op.otherState("es"),
  },
  {
    name: "own central authority, its state suspended",
    prepare: async (c, op) => {
      await suspendState(c.l, code(op.own));
      return accountsOf(c, op.own).authority;
    },
    expected: (op) => ["ConsortiumUnexpectedStateStatus", () => [code(op.own), StateStatus.Suspended]],
  },
  {
    name: "stranger",
    prepare: async (c) => c.l.strangers[0]!,
    expected: (op) => ["ConsortiumUnauthorizedAccount", (_c, caller) => [caller, op.roles]],
  },
];

const cases = useFixture(fixture);

describe("authorization matrix", () => {
  it("covers every state-changing function of RequestRegistry, EvidenceCustody and BatchAnchor", () => {
    const { l } = cases();
    const stateChanging = (name: string, c: BaseContract) =>
      c.interface.fragments
        .filter((f): f is FunctionFragment => f.type === "function")
        .filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure")
        .map((f) => `${name}.${f.name}`);
    const expected = [
      ...stateChanging("RequestRegistry", l.requests),
      ...stateChanging("EvidenceCustody", l.custody),
      ...stateChanging("BatchAnchor", l.anchors),
    ];
    expect(OPERATIONS.map((op) => op.name).sort()).toEqual(expected.sort());
  });

  for (const op of OPERATIONS) {
    describe(op.name, () => {
      for (const actor of ACTORS) {
        const outcome = actor.expected(op);
        const verdict = outcome === "allowed" ? "is allowed" : `is refused with ${outcome[0]}`;
        it(`${actor.name} ${verdict}`, async () => {
          const c = cases();
          const signer = await actor.prepare(c, op);
          const caller = await addr(signer);
          if (outcome === "allowed") {
            const [contract, event] = op.event(c.l);
            const e = (await onlyEvent(op.send(c, signer), contract, event)) as { actor: string };
            expect(e.actor).toBe(caller);
          } else {
            await expectRevert(op.send(c, signer), outcome[0], outcome[1](c, caller));
          }
        });
      }
    });
  }
});
