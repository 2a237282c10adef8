/**
 * Authorization matrix: every state-changing function of Consortium and TreatyRegistry, called by each
 * kind of actor, is either allowed (and then acts for the caller's own state, checked by its events) or
 * reverts with the exact custom error and arguments. One test per function × actor.
 *
 * "Own" is the US: the subjects are a US account, a US–MX treaty and so on. The counterpart is MX, the
 * third state ES; FR was admitted and then suspended (see consortiumWithSuspendedState).
 */
import { describe, it, expect } from "vitest";
import type { ContractTransactionResponse, Signer } from "ethers";
import { StateStatus } from "../../../sdk/src/ledger/types";
import { expectRevert } from "../../helpers/reverts";
import { DAY, digest, randomId, useFixture } from "../../helpers/ledger";
import {
  CA,
  FR,
  GATEWAY,
  MX,
  NO_STATE,
  US,
  VERIFIER,
  VOTING_PERIOD,
  addressOf,
  changeThreshold,
  consortiumWithSuspendedState,
  expectEvents,
  proposalIdOf,
  type Emitter,
  type SuspendedLedger,
} from "./helpers";

const ledger = useFixture(consortiumWithSuspendedState);

const ACTORS = [
  "own CA",
  "own agency",
  "own gateway",
  "own verifier",
  "counterpart state's CA",
  "third state's CA",
  "suspended state's CA",
  "stranger",
] as const;
type ActorName = (typeof ACTORS)[number];

interface Actor {
  signer: Signer;
  address: string;
  /** The state the actor acts for (NO_STATE for a stranger). */
  state: string;
}

async function actor(l: SuspendedLedger, name: ActorName): Promise<Actor> {
  const [signer, state] = {
    "own CA": [l.us.authority, US],
    "own agency": [l.us.agency, US],
    "own gateway": [l.us.gateway, US],
    "own verifier": [l.us.verifier, US],
    "counterpart state's CA": [l.mx.authority, MX],
    "third state's CA": [l.es.authority, l.es.code],
    "suspended state's CA": [l.frAuthority, FR],
    stranger: [l.strangers[0]!, NO_STATE],
  }[name] as [Signer, string];
  return { signer, address: await addressOf(signer), state };
}

type Events = (readonly [string, Record<string, unknown>])[];
interface Call {
  send: () => Promise<ContractTransactionResponse>;
  emitter: Emitter;
  /** The events an allowed call emits. */
  events: Events;
}

/** Each function, called by `a` on the US's subject. */
const FUNCTIONS: Record<string, (l: SuspendedLedger, a: Actor) => Promise<Call>> = {
  "Consortium.setAccountRoles": async (l, a) => {
    const account = await addressOf(l.us.gateway);
    return {
      send: () => l.consortium.connect(a.signer).setAccountRoles(account, GATEWAY | VERIFIER),
      emitter: l.consortium,
      events: [["AccountRolesChanged", { account, state: US, previousRoles: GATEWAY, newRoles: GATEWAY | VERIFIER, actor: a.address }]],
    };
  },
  "Consortium.rotateEncryptionKey": async (l, a) => {
    const key = randomId();
    return {
      send: () => l.consortium.connect(a.signer).rotateEncryptionKey(key),
      emitter: l.consortium,
      events: [["StateKeyRotated", { code: a.state, version: 2, encryptionKey: key, actor: a.address }]],
    };
  },
  "Consortium.setGatewayUrl": async (l, a) => {
    const url = `https://moved.example/${a.state}`;
    return {
      send: () => l.consortium.connect(a.signer).setGatewayUrl(url),
      emitter: l.consortium,
      events: [["StateGatewayChanged", { code: a.state, gatewayUrl: url, actor: a.address }]],
    };
  },
  "Consortium.propose": async (l, a) => {
    const params = changeThreshold(9000, { descriptionDigest: digest() });
    const id = proposalIdOf(params);
    return {
      send: () => l.consortium.connect(a.signer).propose(params, VOTING_PERIOD),
      emitter: l.consortium,
      events: [
        ["ProposalCreated", { proposalId: id, proposerState: a.state, proposer: a.address, params, expiresAt: expect.any(Number) }],
        ["ProposalVoteCast", { proposalId: id, state: a.state, voter: a.address }],
      ],
    };
  },
  "Consortium.vote": async (l, a) => ({
    send: () => l.consortium.connect(a.signer).vote(l.toVote),
    emitter: l.consortium,
    events: [["ProposalVoteCast", { proposalId: l.toVote, state: a.state, voter: a.address }]],
  }),
  "Consortium.withdrawVote": async (l, a) => ({
    send: () => l.consortium.connect(a.signer).withdrawVote(l.toWithdraw),
    emitter: l.consortium,
    events: [["ProposalVoteWithdrawn", { proposalId: l.toWithdraw, state: a.state, voter: a.address }]],
  }),
  "Consortium.execute": async (l, a) => ({
    send: () => l.consortium.connect(a.signer).execute(l.toExecute),
    emitter: l.consortium,
    events: [
      ["ProposalExecuted", { proposalId: l.toExecute, votes: 2, required: 2, executor: a.address }],
      ["ThresholdChanged", { previousBps: 5001, newBps: 6000, proposalId: l.toExecute }],
    ],
  }),
  "TreatyRegistry.registerTreaty": async (l, a) => {
    const [treatyId, documentDigest] = [randomId(), digest()];
    const terms = { documentDigest, scope: 0b11, acknowledgeWithin: DAY, respondWithin: 20 * DAY, parties: [US, MX] };
    return {
      send: () => l.treaties.connect(a.signer).registerTreaty(treatyId, documentDigest, 0b11, DAY, 20 * DAY, [US, MX]),
      emitter: l.treaties,
      events: [["TreatyRegistered", { treatyId, registeredBy: a.state, actor: a.address, ...terms }]],
    };
  },
  "TreatyRegistry.ratify": async (l, a) => ({
    send: () => l.treaties.connect(a.signer).ratify(l.closedTreaty),
    emitter: l.treaties,
    events: [["TreatyRatified", { treatyId: l.closedTreaty, state: a.state, actor: a.address }]],
  }),
  "TreatyRegistry.denounce": async (l, a) => ({
    send: () => l.treaties.connect(a.signer).denounce(l.bilateral),
    emitter: l.treaties,
    events: [["TreatyDenounced", { treatyId: l.bilateral, state: a.state, actor: a.address }]],
  }),
};

/** Outcome codes of the matrix. */
type Outcome = "allowed" | "unauthorized" | "suspended" | "otherState" | "notParty" | "notRatified";
const [A, U, S] = ["allowed", "unauthorized", "suspended"] as const;

/**
 *                                   own CA  agency  gateway verifier  MX CA   ES CA          FR CA (susp.) stranger
 */
const MATRIX: Record<keyof typeof FUNCTIONS, readonly Outcome[]> = {
  "Consortium.setAccountRoles":      [A, U, U, U, "otherState", "otherState", S, U],
  "Consortium.rotateEncryptionKey":  [A, U, U, U, A, A, S, U],
  "Consortium.setGatewayUrl":        [A, U, U, U, A, A, S, U],
  "Consortium.propose":              [A, U, U, U, A, A, S, U],
  "Consortium.vote":                 [A, U, U, U, A, A, S, U],
  // A suspended state may take back its own vote: it can only lower support (docs/design/contracts.md).
  "Consortium.withdrawVote":         [A, U, U, U, A, A, A, U],
  "Consortium.execute":              [A, U, U, U, A, A, S, U],
  "TreatyRegistry.registerTreaty":   [A, U, U, U, A, A, S, U],
  // ES is not a party of the closed US–MX treaty.
  "TreatyRegistry.ratify":           [A, U, U, U, A, "notParty", S, U],
  // ES never ratified the bilateral US–MX treaty.
  "TreatyRegistry.denounce":         [A, U, U, U, A, "notRatified", S, U],
};

/** The custom error (name and arguments) an outcome other than "allowed" reverts with. */
async function expectedError(l: SuspendedLedger, outcome: Exclude<Outcome, "allowed">, a: Actor): Promise<[string, unknown[]]> {
  switch (outcome) {
    case "unauthorized":
      return ["ConsortiumUnauthorizedAccount", [a.address, CA]];
    case "suspended":
      return ["ConsortiumUnexpectedStateStatus", [a.state, StateStatus.Suspended]];
    case "otherState":
      return ["ConsortiumAccountOfOtherState", [await addressOf(l.us.gateway), US]];
    case "notParty":
      return ["TreatyNotParty", [l.closedTreaty, a.state]];
    case "notRatified":
      return ["TreatyRatificationState", [l.bilateral, a.state, false]];
  }
}

const ROWS = Object.entries(MATRIX).flatMap(([fn, outcomes]) =>
  ACTORS.map((name, i) => [fn, name, outcomes[i]!] as [keyof typeof FUNCTIONS, ActorName, Outcome]),
);

describe("authorization matrix", () => {
  it("covers every state-changing function of Consortium and TreatyRegistry", () => {
    const stateChanging = (abi: readonly { type: string; name?: string; stateMutability?: string }[]) =>
      abi.filter((f) => f.type === "function" && f.stateMutability !== "view" && f.stateMutability !== "pure").map((f) => f.name);
    const l = ledger();
    const expected = [
      ...stateChanging(l.consortium.interface.fragments.map((f) => f.format("json")).map((j) => JSON.parse(j))).map((n) => `Consortium.${n}`),
      ...stateChanging(l.treaties.interface.fragments.map((f) => f.format("json")).map((j) => JSON.parse(j))).map((n) => `TreatyRegistry.${n}`),
    ];
    expect(Object.keys(FUNCTIONS).sort()).toEqual(expected.sort());
  });

  it.each(ROWS)("%s × %s → %s", async (fn, name, outcome) => {
    const l = ledger();
    const a = await actor(l, name);
    const call = await FUNCTIONS[fn]!(l, a);
    if (outcome === "allowed") {
      await expectEvents(call.send(), call.emitter, call.events);
    } else {
      const [error, args] = await expectedError(l, outcome, a);
      await expectRevert(call.send(), error, args);
    }
  });
});
