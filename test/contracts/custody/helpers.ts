/** Custody test helpers: offers, transfers, extra accounts, and the custody-chain check against events. */
import { expect } from "vitest";
import hre from "hardhat";
import type { ContractTransactionResponse, Signer } from "ethers";
import {
  DAY,
  US,
  digest,
  latestTimestamp,
  registeredEvidence,
  type Ledger,
  type StateAccounts,
} from "../../helpers/ledger";
import { replayHeads, type Recorded } from "./custodyChain";

export const ZERO_ADDRESS = hre.ethers.ZeroAddress;
export const ZERO_STATE = "0x0000";
export const ZERO_HASH = hre.ethers.ZeroHash;

/** An offer of custody of `evidenceId` with defaults: by MX's agency, to the US as a state, for a day. */
export async function offer(
  l: Ledger,
  evidenceId: string,
  o: Partial<{ by: Signer; toState: string; toAccount: string; expiresAt: number; documentDigest: string }> = {},
): Promise<{ expiresAt: number; documentDigest: string; tx: ContractTransactionResponse }> {
  const expiresAt = o.expiresAt ?? (await latestTimestamp()) + DAY;
  const documentDigest = o.documentDigest ?? digest();
  const tx = await l.custody
    .connect(o.by ?? l.mx.agency)
    .offerCustody(evidenceId, o.toState ?? US, o.toAccount ?? ZERO_ADDRESS, expiresAt, documentDigest);
  await tx.wait();
  return { expiresAt, documentDigest, tx };
}

/** Evidence registered by MX, offered to the US and accepted by the US's agency: the US holds it. */
export async function evidenceHeldByUs(l: Ledger) {
  const e = await registeredEvidence(l);
  await offer(l, e.evidenceId);
  await (await l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest)).wait();
  return e;
}

/** Makes `account` an account of `state` with `roles`, set by the state's central authority. */
export async function addAccount(l: Ledger, state: StateAccounts, account: Signer, roles: number): Promise<Signer> {
  await (await l.consortium.connect(state.authority).setAccountRoles(await account.getAddress(), roles)).wait();
  return account;
}

/** The fields of a CustodyRecorded event that enter the head, as a plain object. */
export function entryOf(e: Recorded): Recorded {
  const { sequence, action, actorState, actor, counterpartState, counterpartAccount, digest, expiresAt } = e;
  return { sequence, action, actorState, actor, counterpartState, counterpartAccount, digest, expiresAt };
}

/** The registration and the custody entries of one item, read from the chain's events in log order. */
export async function custodyHistory(l: Ledger, evidenceId: string) {
  const [registered] = await l.custody.queryFilter(l.custody.filters.EvidenceRegistered(evidenceId));
  const recorded = (await l.custody.queryFilter(l.custody.filters.CustodyRecorded(evidenceId))).sort(
    (a, b) => a.blockNumber - b.blockNumber || a.index - b.index,
  );
  expect(registered, `EvidenceRegistered of ${evidenceId}`).toBeDefined();
  return { registered: registered!.args, recorded: recorded.map((e) => e.args) };
}

/**
 * Rebuilds every head of an item from its events alone (custodyChain.ts) and checks it against the head
 * each event carries, the contract's `nextHead`, and the head and sequence stored now. Returns the heads.
 */
export async function expectCustodyChain(l: Ledger, evidenceId: string): Promise<string[]> {
  const { chainId } = await hre.ethers.provider.getNetwork();
  const { registered, recorded } = await custodyHistory(l, evidenceId);
  const heads = replayHeads(chainId, await l.custody.getAddress(), registered, recorded);
  expect(heads[0], "head_0").toBe(registered.head);
  for (const [i, e] of recorded.entries()) {
    expect(heads[i + 1], `head_${i + 1} of the event`).toBe(e.head);
    expect(await l.custody.nextHead(heads[i]!, entryOf(e)), `nextHead for head_${i + 1}`).toBe(heads[i + 1]);
  }
  const stored = await l.custody.evidence(evidenceId);
  expect(stored.head, "stored head").toBe(heads.at(-1));
  expect(stored.sequence, "stored sequence").toBe(BigInt(recorded.length));
  return heads;
}
