import { genesisHead, nextHead, type CustodyGenesis, type CustodyLink } from "../crypto/custodyHead";
import type { LedgerEvent } from "./events";
import { CustodyAction } from "./types";

/** One link of a rebuilt custody chain. */
export interface CustodyChainLink {
  sequence: number;
  action: CustodyAction | "Registered";
  actorState: string;
  actor: string;
  counterpartState: string;
  counterpartAccount: string;
  digest: string;
  /** The head recomputed here. */
  head: string;
  /** The head the event carried. */
  anchoredHead: string;
  blockNumber: number;
  transactionHash: string;
}

/** The outcome of rebuilding a custody chain from events alone. */
export interface CustodyChainRebuild {
  links: CustodyChainLink[];
  /** The last recomputed head (undefined without a registration). */
  head?: string;
  /** Every break found: a gap or repeat in sequence, or a head that does not follow. Empty if sound. */
  problems: string[];
}

/**
 * Rebuilds an evidence item's custody chain from its EvidenceRegistered and CustodyRecorded events,
 * recomputing every head (pure). The genesis binds the chain id and custody contract, so events copied
 * from another chain or deployment fail here.
 * @example const { head, problems } = rebuildCustodyChain(events, 31337n, custodyAddress);
 */
export function rebuildCustodyChain(
  events: readonly LedgerEvent[],
  chainId: bigint,
  custodyAddress: string,
): CustodyChainRebuild {
  const problems: string[] = [];
  const links: CustodyChainLink[] = [];
  const registrations = events.filter((e) => e.name === "EvidenceRegistered");
  if (registrations.length !== 1) {
    problems.push(`expected exactly one EvidenceRegistered event, found ${registrations.length}`);
    if (registrations.length === 0) return { links, problems };
  }
  const reg = registrations[0]!;
  const g = reg.args as unknown as CustodyGenesis & { head: string };
  let head = genesisHead(chainId, custodyAddress, { ...g, evidenceId: g.evidenceId });
  if (head !== g.head) problems.push(`registration: head ${g.head} does not match the recomputed ${head} (another chain, contract or altered fields)`);
  links.push({
    sequence: 0,
    action: "Registered",
    actorState: g.custodianState,
    actor: g.actor,
    counterpartState: "0x0000",
    counterpartAccount: "0x0000000000000000000000000000000000000000",
    digest: g.payloadDigest,
    head,
    anchoredHead: g.head,
    blockNumber: reg.blockNumber,
    transactionHash: reg.transactionHash,
  });
  const entries = events.filter((e) => e.name === "CustodyRecorded");
  entries.forEach((e, i) => {
    const a = e.args as unknown as CustodyLink & { head: string };
    const expected = BigInt(i + 1);
    if (a.sequence !== expected) problems.push(`entry ${i + 1}: sequence ${a.sequence} where ${expected} was due (gap or repeat)`);
    head = nextHead(head, { ...a, action: Number(a.action) });
    if (head !== a.head) problems.push(`entry ${a.sequence}: anchored head ${a.head} does not follow from the previous one (${head})`);
    links.push({
      sequence: Number(a.sequence),
      action: Number(a.action) as CustodyAction,
      actorState: a.actorState,
      actor: a.actor,
      counterpartState: a.counterpartState,
      counterpartAccount: a.counterpartAccount,
      digest: a.digest,
      head,
      anchoredHead: a.head,
      blockNumber: e.blockNumber,
      transactionHash: e.transactionHash,
    });
  });
  return { links, head, problems };
}
