/**
 * Helpers of the contract suites beyond the shared scenario builders (test/helpers/ledger.ts):
 * event decoding with the typechain interfaces, requests in every status, governance suspension,
 * and the lifecycle actions as a table. Custody, anchoring and relay suites import from here too.
 */
import { expect } from "vitest";
import hre from "hardhat";
import { Result, ZeroHash, type BaseContract, type ContractTransactionResponse, type Signer } from "ethers";
import type { TypedContractEvent, TypedLogDescription } from "../../../typechain-types/common";
import type { IRequestRegistry } from "../../../typechain-types/contracts/interfaces/IRequestRegistry";
import {
  acknowledgedRequest,
  BANK_AND_ELECTRONIC,
  digest,
  randomId,
  requestInExecution,
  submittedRequest,
  type Ledger,
  type StateAccounts,
} from "../../helpers/ledger";
import {
  assistanceMask,
  Priority,
  ProposalKind,
  RefusalReason,
  RequestStatus,
  StateStatus,
} from "../../../sdk/src/ledger/types";

// ─── events ─────────────────────────────────────────────────────────────────────────────────

type Sent = ContractTransactionResponse | Promise<ContractTransactionResponse>;
/** The decoded arguments of one event, typed by the typechain binding. */
export type EventArgs<E extends TypedContractEvent> = TypedLogDescription<E>["args"];

/** Every `event` that `contract` emitted in the transaction, decoded with the contract's interface. */
export async function emitted<E extends TypedContractEvent>(
  sent: Sent,
  contract: BaseContract,
  event: E,
): Promise<EventArgs<E>[]> {
  const receipt = await (await sent).wait();
  const address = (await contract.getAddress()).toLowerCase();
  return receipt!.logs
    .filter((log) => log.address.toLowerCase() === address && log.topics[0] === event.fragment.topicHash)
    .map((log) => contract.interface.parseLog(log)!.args as unknown as EventArgs<E>);
}

/** The one `event` the transaction emitted from `contract`; fails if it emitted any other log there. */
export async function onlyEvent<E extends TypedContractEvent>(
  sent: Sent,
  contract: BaseContract,
  event: E,
): Promise<EventArgs<E>> {
  const tx = await sent;
  const receipt = await tx.wait();
  const address = (await contract.getAddress()).toLowerCase();
  const names = receipt!.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => contract.interface.parseLog(log)?.name);
  expect(names, `events of ${address}`).toEqual([event.fragment.name]);
  const [args] = await emitted(tx, contract, event);
  return args!;
}

/**
 * A decoded event or struct (an ethers `Result`, typed by typechain as a tuple) as a plain object of its
 * named fields, bigints that fit turned into numbers, for `toEqual`.
 */
export function fields(result: object): Record<string, unknown> {
  const plain = (v: unknown): unknown => {
    if (typeof v === "bigint") return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  if (!(result instanceof Result)) throw new Error("fields() expects a decoded ethers Result");
  return plain(result.toObject(true)) as Record<string, unknown>;
}

export const addr = (s: Signer): Promise<string> => s.getAddress();

// ─── time ──────────────────────────────────────────────────────────────────────────────────

/** Makes the next mined block carry `timestamp` (the next transaction executes at that time). */
export async function atNextBlock(timestamp: number): Promise<void> {
  await hre.network.provider.send("evm_setNextBlockTimestamp", [timestamp]);
}

/** Mines an empty block at `timestamp`; views called afterwards see that time. */
export async function mineAt(timestamp: number): Promise<void> {
  await atNextBlock(timestamp);
  await hre.network.provider.send("evm_mine", []);
}

// ─── governance ────────────────────────────────────────────────────────────────────────────

/**
 * Suspends `target` by an executed SuspendState proposal: proposed and voted by the central authorities
 * of the two other founding states (2 of 3 at 50.01 %).
 */
export async function suspendState(l: Ledger, target: string): Promise<void> {
  const [first, second] = [l.us, l.mx, l.es].filter((s) => s.code !== target) as [StateAccounts, StateAccounts];
  const params = {
    kind: ProposalKind.SuspendState,
    target,
    thresholdBps: 0,
    initialAuthority: hre.ethers.ZeroAddress,
    encryptionKey: ZeroHash,
    gatewayUrl: "",
    descriptionDigest: digest(),
  };
  const id = await l.consortium.proposalId(params);
  await (await l.consortium.connect(first.authority).propose(params, 3600)).wait();
  await (await l.consortium.connect(second.authority).vote(id)).wait();
  await (await l.consortium.connect(second.authority).execute(id)).wait();
  expect((await l.consortium.state(target)).status).toBe(BigInt(StateStatus.Suspended));
}

// ─── requests in every status ──────────────────────────────────────────────────────────────

export const BANK_RECORDS = assistanceMask(["BANK_RECORDS"]);
export const bit = (s: RequestStatus): number => 1 << s;
export const mask = (...statuses: RequestStatus[]): number => statuses.reduce((m, s) => m | bit(s), 0);
/** Submitted … InExecution, written out here independently of RequestLifecycle.OPEN. */
export const OPEN = mask(
  RequestStatus.Submitted,
  RequestStatus.Acknowledged,
  RequestStatus.ClarificationRequested,
  RequestStatus.Accepted,
  RequestStatus.PartiallyAccepted,
  RequestStatus.InExecution,
);
export const ALL_STATUSES = Object.values(RequestStatus).filter((v): v is RequestStatus => typeof v === "number");
export const statusName = (s: RequestStatus): string => RequestStatus[s];

/** Builds a request from the US to MX in `status` (None: an id never submitted) and returns its id. */
export async function requestIn(l: Ledger, status: RequestStatus): Promise<string> {
  const us = l.requests.connect(l.us.authority);
  const mx = l.requests.connect(l.mx.authority);
  const step = async (sent: Promise<ContractTransactionResponse>) => (await sent).wait();
  switch (status) {
    case RequestStatus.None:
      return randomId();
    case RequestStatus.Submitted:
      return (await submittedRequest(l)).requestId;
    case RequestStatus.Acknowledged:
      return (await acknowledgedRequest(l)).requestId;
    case RequestStatus.ClarificationRequested: {
      const { requestId } = await acknowledgedRequest(l);
      await step(mx.requestClarification(requestId, digest()));
      return requestId;
    }
    case RequestStatus.Accepted: {
      const { requestId } = await acknowledgedRequest(l);
      await step(mx.accept(requestId, digest()));
      return requestId;
    }
    case RequestStatus.PartiallyAccepted: {
      const { requestId } = await acknowledgedRequest(l);
      await step(mx.partiallyAccept(requestId, BANK_RECORDS, digest()));
      return requestId;
    }
    case RequestStatus.Refused: {
      const { requestId } = await acknowledgedRequest(l);
      await step(mx.refuse(requestId, RefusalReason.DualCriminalityAbsent, digest()));
      return requestId;
    }
    case RequestStatus.InExecution:
      return (await requestInExecution(l)).requestId;
    case RequestStatus.Executed: {
      const { requestId } = await requestInExecution(l);
      await step(mx.complete(requestId, digest()));
      return requestId;
    }
    case RequestStatus.Closed: {
      const { requestId } = await requestInExecution(l);
      await step(mx.complete(requestId, digest()));
      await step(us.close(requestId, digest()));
      return requestId;
    }
    case RequestStatus.Withdrawn: {
      const { requestId } = await submittedRequest(l);
      await step(us.withdraw(requestId, digest()));
      return requestId;
    }
  }
}

/** One request from the US to MX in each status, built once (for fixtures). */
export async function requestsInEveryStatus(l: Ledger): Promise<Record<RequestStatus, string>> {
  const ids = {} as Record<RequestStatus, string>;
  for (const status of ALL_STATUSES) ids[status] = await requestIn(l, status);
  for (const status of ALL_STATUSES) {
    expect((await l.requests.request(ids[status])).status).toBe(BigInt(status));
  }
  return ids;
}

// ─── the lifecycle actions as a table ──────────────────────────────────────────────────────

/** The events of RequestRegistry other than RequestSubmitted. */
export type RequestEventName =
  | "RequestStatusChanged"
  | "RequestPartiallyAccepted"
  | "RequestRefused"
  | "RequestDeadlineExtended"
  | "RequestPriorityChanged";

/** A RequestRegistry event by name, for tables that hold the name as data. */
export function requestEvent(l: Ledger, name: RequestEventName): TypedContractEvent {
  return l.requests.getEvent(name as "RequestStatusChanged");
}

/** Which party's central authority an action belongs to. */
export type Side = "requesting" | "requested";

/** A lifecycle action of RequestRegistry, sent with valid arguments other than the status. */
export interface LifecycleAction {
  fn:
    | "acknowledge"
    | "requestClarification"
    | "provideClarification"
    | "accept"
    | "partiallyAccept"
    | "refuse"
    | "startExecution"
    | "complete"
    | "close"
    | "withdraw"
    | "extendDeadline"
    | "changePriority";
  side: Side;
  /** The status the action moves to; undefined for actions that keep the status. */
  to?: RequestStatus;
  /** The statuses it is allowed from (the graph of ARCHITECTURE.md, written out independently). */
  from: number;
  /** The event it emits (RequestStatusChanged unless it has its own). */
  event: RequestEventName;
  send(l: Ledger, signer: Signer, requestId: string, documentDigest?: string): Promise<ContractTransactionResponse>;
}

const FAR_FUTURE = 4_000_000_000; // 2096: later than any respondBy of these suites

export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = [
  {
    fn: "acknowledge",
    event: "RequestStatusChanged",
    side: "requested",
    to: RequestStatus.Acknowledged,
    from: mask(RequestStatus.Submitted),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).acknowledge(id, doc),
  },
  {
    fn: "requestClarification",
    event: "RequestStatusChanged",
    side: "requested",
    to: RequestStatus.ClarificationRequested,
    from: mask(RequestStatus.Acknowledged),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).requestClarification(id, doc),
  },
  {
    fn: "provideClarification",
    event: "RequestStatusChanged",
    side: "requesting",
    to: RequestStatus.Acknowledged,
    from: mask(RequestStatus.ClarificationRequested),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).provideClarification(id, doc),
  },
  {
    fn: "accept",
    event: "RequestStatusChanged",
    side: "requested",
    to: RequestStatus.Accepted,
    from: mask(RequestStatus.Acknowledged),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).accept(id, doc),
  },
  {
    fn: "partiallyAccept",
    event: "RequestPartiallyAccepted",
    side: "requested",
    to: RequestStatus.PartiallyAccepted,
    from: mask(RequestStatus.Acknowledged),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).partiallyAccept(id, BANK_RECORDS, doc),
  },
  {
    fn: "refuse",
    event: "RequestRefused",
    side: "requested",
    to: RequestStatus.Refused,
    from: mask(RequestStatus.Acknowledged),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).refuse(id, RefusalReason.NeBisInIdem, doc),
  },
  {
    fn: "startExecution",
    event: "RequestStatusChanged",
    side: "requested",
    to: RequestStatus.InExecution,
    from: mask(RequestStatus.Accepted, RequestStatus.PartiallyAccepted),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).startExecution(id, doc),
  },
  {
    fn: "complete",
    event: "RequestStatusChanged",
    side: "requested",
    to: RequestStatus.Executed,
    from: mask(RequestStatus.InExecution),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).complete(id, doc),
  },
  {
    fn: "close",
    event: "RequestStatusChanged",
    side: "requesting",
    to: RequestStatus.Closed,
    from: mask(RequestStatus.Executed),
    send: (l, s, id, doc = digest()) => l.requests.connect(s).close(id, doc),
  },
  {
    fn: "withdraw",
    event: "RequestStatusChanged",
    side: "requesting",
    to: RequestStatus.Withdrawn,
    from: OPEN,
    send: (l, s, id, doc = digest()) => l.requests.connect(s).withdraw(id, doc),
  },
  {
    fn: "extendDeadline",
    event: "RequestDeadlineExtended",
    side: "requesting",
    from: OPEN,
    send: (l, s, id, doc = digest()) => l.requests.connect(s).extendDeadline(id, FAR_FUTURE, doc),
  },
  {
    fn: "changePriority",
    event: "RequestPriorityChanged",
    side: "requesting",
    from: OPEN,
    send: (l, s, id, doc = digest()) => l.requests.connect(s).changePriority(id, Priority.Urgent, doc),
  },
];

/** The central authority of the party an action belongs to, in a request from the US to MX. */
export const partyOf = (l: Ledger, side: Side): StateAccounts => (side === "requesting" ? l.us : l.mx);
/** The central authority of the other party. */
export const counterpartOf = (l: Ledger, side: Side): StateAccounts => (side === "requesting" ? l.mx : l.us);

/** A submission from the US to MX under the bilateral treaty, with overrides. */
export function submission(
  l: Ledger,
  overrides: Partial<IRequestRegistry.SubmissionStruct> = {},
): IRequestRegistry.SubmissionStruct {
  return {
    requestId: randomId(),
    requestedState: l.mx.code,
    treatyId: l.bilateral,
    assistanceTypes: BANK_AND_ELECTRONIC,
    priority: Priority.Routine,
    documentDigest: digest(),
    respondBy: 0,
    ...overrides,
  };
}
