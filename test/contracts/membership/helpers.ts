/**
 * Helpers of the membership and treaty suites: decoding emitted events with the typechain interfaces,
 * building governance proposals (and their ids, computed off-chain), founding inputs for constructor
 * tests, and a consortium with a suspended fourth state for the authorization matrix.
 */
import hre from "hardhat";
import { expect } from "vitest";
import {
  AbiCoder,
  keccak256,
  ZeroAddress,
  ZeroHash,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Interface,
  type ParamType,
  type Signer,
} from "ethers";
import type { Consortium } from "../../../typechain-types";
import type { IConsortium } from "../../../typechain-types/contracts/membership/Consortium";
import type { ITreatyRegistry } from "../../../typechain-types/contracts/treaties/TreatyRegistry";
import { ProposalKind, Role } from "../../../sdk/src/ledger/types";
import { toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { DAY, ES, FR, MX, US, digest, foundedConsortium, randomId, type Ledger } from "../../helpers/ledger";

export const CA = Role.CENTRAL_AUTHORITY;
export const AGENCY = Role.AGENCY;
export const GATEWAY = Role.GATEWAY;
export const VERIFIER = Role.VERIFIER;
export const ALL_ROLES = CA | AGENCY | GATEWAY | VERIFIER;
export const NO_STATE = "0x0000";
export const HOUR = 3_600;
export const VOTING_PERIOD = 7 * DAY;
export const DE = toStateBytes("DE");

export const addressOf = (s: Signer): Promise<string> => s.getAddress();

// ─── events ────────────────────────────────────────────────────────────────────────────────

/** Anything whose logs we decode: a typechain contract (or its factory's interface and an address). */
export interface Emitter {
  interface: Interface;
  getAddress(): Promise<string>;
}

/** One decoded event: its name and its arguments by name, normalized (see {@link plain}). */
export interface Emitted {
  name: string;
  args: Record<string, unknown>;
}

type Sent = ContractTransactionResponse | Promise<ContractTransactionResponse> | ContractTransactionReceipt | null;

/**
 * Values in a comparable form: integers as numbers (as strings beyond 2^53), hex and text lower-cased,
 * tuples as objects by component name, arrays as arrays.
 */
export function plain(value: unknown, type?: ParamType): unknown {
  if (isMatcher(value)) return value;
  if (type?.isTuple()) {
    const v = value as readonly unknown[];
    return Object.fromEntries(type.components.map((c, i) => [c.name, plain(v[i], c)]));
  }
  if (type?.isArray()) return [...(value as readonly unknown[])].map((x) => plain(x, type.arrayChildren));
  if (Array.isArray(value)) return value.map((x) => plain(x));
  if (typeof value === "bigint") return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (typeof value === "string") return value.toLowerCase();
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** vitest's asymmetric matchers (`expect.any(Number)`) pass through {@link plain} untouched. */
function isMatcher(value: unknown): boolean {
  return !!value && typeof value === "object" && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === "function";
}

async function receiptOf(sent: Sent): Promise<ContractTransactionReceipt> {
  const resolved = await sent;
  if (resolved === null) throw new Error("no transaction");
  const receipt = "wait" in resolved ? await resolved.wait() : resolved;
  if (!receipt) throw new Error("transaction not mined");
  return receipt;
}

/** The events `emitter` emitted in the transaction, in order, decoded with its typechain interface. */
export async function emitted(sent: Sent, emitter: Emitter): Promise<Emitted[]> {
  const receipt = await receiptOf(sent);
  const address = (await emitter.getAddress()).toLowerCase();
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => {
      const parsed = emitter.interface.parseLog(log);
      if (!parsed) throw new Error(`unknown log ${log.topics[0]}`);
      const args = Object.fromEntries(parsed.fragment.inputs.map((input, i) => [input.name, plain(parsed.args[i], input)]));
      return { name: parsed.name, args };
    });
}

/**
 * Asserts that the transaction emitted exactly these events from `emitter`, in this order, each with
 * exactly these arguments (every argument must be given).
 */
export async function expectEvents(
  sent: Sent,
  emitter: Emitter,
  expected: readonly (readonly [string, Record<string, unknown>])[],
): Promise<Emitted[]> {
  const events = await emitted(sent, emitter);
  expect(events).toEqual(expected.map(([name, args]) => ({ name, args: plain(args) })));
  return events;
}

/** Asserts that the transaction emitted nothing from `emitter`. */
export async function expectNoEvents(sent: Sent, emitter: Emitter): Promise<void> {
  expect(await emitted(sent, emitter)).toEqual([]);
}

// ─── governance ────────────────────────────────────────────────────────────────────────────

export type ProposalParams = IConsortium.ProposalParamsStruct & {
  kind: number;
  target: string;
  thresholdBps: number;
  initialAuthority: string;
  encryptionKey: string;
  gatewayUrl: string;
  descriptionDigest: string;
};

/** A proposal with every field zero except those given. */
export function proposal(fields: Partial<ProposalParams> & { kind: ProposalKind }): ProposalParams {
  return {
    target: NO_STATE,
    thresholdBps: 0,
    initialAuthority: ZeroAddress,
    encryptionKey: ZeroHash,
    gatewayUrl: "",
    descriptionDigest: ZeroHash,
    ...fields,
  };
}

export const admit = (target: string, initialAuthority: string, extra: Partial<ProposalParams> = {}): ProposalParams =>
  proposal({
    kind: ProposalKind.AdmitState,
    target,
    initialAuthority,
    encryptionKey: extra.encryptionKey ?? keyOf(target),
    gatewayUrl: "https://gateway.new.example",
    ...extra,
  });
export const suspend = (target: string, extra: Partial<ProposalParams> = {}) =>
  proposal({ kind: ProposalKind.SuspendState, target, ...extra });
export const reinstate = (target: string, extra: Partial<ProposalParams> = {}) =>
  proposal({ kind: ProposalKind.ReinstateState, target, ...extra });
export const remove = (target: string, extra: Partial<ProposalParams> = {}) =>
  proposal({ kind: ProposalKind.RemoveState, target, ...extra });
export const changeThreshold = (thresholdBps: number, extra: Partial<ProposalParams> = {}) =>
  proposal({ kind: ProposalKind.ChangeThreshold, thresholdBps, ...extra });

/** A deterministic, non-zero encryption key per state code, so tests can predict it. */
export function keyOf(code: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["string", "bytes2"], ["test-key", code]));
}

const PROPOSAL_TUPLE =
  "tuple(uint8 kind, bytes2 target, uint16 thresholdBps, address initialAuthority, bytes32 encryptionKey, string gatewayUrl, bytes32 descriptionDigest)";

/** The id of a proposal computed off-chain: `keccak256(abi.encode(params))`. */
export function proposalIdOf(p: ProposalParams): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode([PROPOSAL_TUPLE], [p]));
}

/** Proposes `p` as `proposer` and returns its id and the transaction. */
export async function propose(l: { consortium: Consortium }, proposer: Signer, p: ProposalParams, period = VOTING_PERIOD) {
  const tx = await l.consortium.connect(proposer).propose(p, period);
  await tx.wait();
  return { id: proposalIdOf(p), tx };
}

/**
 * Passes `p` with the default majority of the founded consortium: the US proposes, MX votes, the US
 * executes. Returns the id and the execution transaction.
 */
export async function pass(
  l: Ledger,
  p: ProposalParams,
  options: { proposer?: Signer; voters?: Signer[]; executor?: Signer } = {},
) {
  const proposer = options.proposer ?? l.us.authority;
  const { id } = await propose(l, proposer, p);
  for (const voter of options.voters ?? [l.mx.authority]) await (await l.consortium.connect(voter).vote(id)).wait();
  const tx = await l.consortium.connect(options.executor ?? proposer).execute(id);
  await tx.wait();
  return { id, tx };
}

// ─── founding input ────────────────────────────────────────────────────────────────────────

/** A founding state with one central authority (and any extra accounts). */
export function foundingState(
  code: string,
  authority: string,
  extra: Partial<IConsortium.FoundingStateStruct> = {},
): IConsortium.FoundingStateStruct {
  return {
    code,
    encryptionKey: keyOf(code),
    gatewayUrl: `https://gateway.${code}.example`,
    accounts: [{ account: authority, roles: CA }],
    ...extra,
  };
}

/** A founding treaty with sensible terms, open and unratified unless told otherwise. */
export function foundingTreaty(extra: Partial<ITreatyRegistry.FoundingTreatyStruct> = {}): ITreatyRegistry.FoundingTreatyStruct {
  return {
    treatyId: randomId(),
    documentDigest: digest(),
    scope: 0xfff,
    acknowledgeWithin: 5 * DAY,
    respondWithin: 90 * DAY,
    parties: [],
    ratifiedBy: [],
    ...extra,
  };
}

// ─── a consortium with a suspended state ───────────────────────────────────────────────────

export interface SuspendedLedger extends Ledger {
  /** The central authority of FR: admitted (index 3), then suspended. */
  frAuthority: Signer;
  /** Threshold change proposed by FR before its suspension; nobody else voted. */
  toVote: string;
  /** Threshold change proposed by FR before its suspension, then voted by US, MX and ES. */
  toWithdraw: string;
  /** Threshold change (to 6000) proposed by FR before its suspension, then voted by US and MX: executable. */
  toExecute: string;
  /** A closed US–MX treaty that nobody has ratified yet. */
  closedTreaty: string;
}

/**
 * The founded consortium plus FR, admitted with `strangers[0]` as its central authority, which
 * proposes three threshold changes and is then suspended. US, MX and ES stay active (2 votes needed).
 */
export async function consortiumWithSuspendedState(): Promise<SuspendedLedger> {
  const l = await foundedConsortium();
  const [frAuthority, ...strangers] = l.strangers as [Signer, ...Signer[]];
  await pass(l, admit(FR, await frAuthority.getAddress()));
  const threshold = (label: string, bps: number) => changeThreshold(bps, { descriptionDigest: keccak256(Buffer.from(label)) });
  const { id: toVote } = await propose(l, frAuthority, threshold("to vote", 7000));
  const { id: toWithdraw } = await propose(l, frAuthority, threshold("to withdraw", 8000));
  const { id: toExecute } = await propose(l, frAuthority, threshold("to execute", 6000));
  // Four active states: 3 votes needed to suspend FR.
  await pass(l, suspend(FR), { voters: [l.mx.authority, l.es.authority] });
  for (const s of [l.us, l.mx, l.es]) await (await l.consortium.connect(s.authority).vote(toWithdraw)).wait();
  for (const s of [l.us, l.mx]) await (await l.consortium.connect(s.authority).vote(toExecute)).wait();
  const closedTreaty = randomId();
  await (
    await l.treaties.connect(l.us.authority).registerTreaty(closedTreaty, digest(), 0xff, 5 * DAY, 60 * DAY, [US, MX])
  ).wait();
  return { ...l, strangers, frAuthority, toVote, toWithdraw, toExecute, closedTreaty };
}

/** Sets the next block's timestamp (the next transaction then runs at exactly `timestamp`). */
export async function atTimestamp(timestamp: number | bigint): Promise<void> {
  await hre.network.provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
}

/** Mines an empty block at exactly `timestamp`, so views see that time. */
export async function mineAt(timestamp: number | bigint): Promise<void> {
  await hre.network.provider.send("evm_mine", [Number(timestamp)]);
}

export { US, MX, ES, FR };
