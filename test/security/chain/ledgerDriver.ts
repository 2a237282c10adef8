/**
 * Drives the ledger straight over JSON-RPC (not through a gateway) with random but valid steps: request
 * lifecycle transitions, evidence registration and two-phase custody moves, role grants and revocations,
 * empty blocks. Hardhat's node mines one block per transaction, so one step is one block. Every choice is
 * read from the chain's current state, so the driver stays valid on whatever branch a reorg left.
 */
import { hexlify, randomBytes, Wallet, ZeroAddress, type ContractTransactionResponse, type JsonRpcProvider } from "ethers";
import { connectLedger, type LedgerContracts } from "../../../sdk/src/ledger/contracts";
import type { Deployment } from "../../../sdk/src/ledger/deployment";
import { fromStateBytes, toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { assistanceMask, CustodyAction, Priority, RefusalReason, RequestStatus, Role } from "../../../sdk/src/ledger/types";
import { devWallet, type LocalConsortium } from "../../../scripts/lib/localConsortium";
import type { Code } from "./chainNetwork";

const random32 = (): string => hexlify(randomBytes(32));
const TYPES = assistanceMask(["BANK_RECORDS", "ELECTRONIC_EVIDENCE"]);
const DAY = 86_400;

/** The accounts the driver writes with, per state, as bound contracts. */
interface StateSide {
  authority: LedgerContracts;
  agency: LedgerContracts;
  /** An account of no role at first; its AGENCY role is granted and revoked by the state's authority. */
  spare: Wallet;
}

/**
 * Random ledger traffic for reorg rounds.
 * @example const d = new LedgerDriver(rpc, consortium, rng); await d.step(); await d.rpc("evm_snapshot");
 */
export class LedgerDriver {
  readonly sides: Record<Code, StateSide>;
  readonly read: LedgerContracts;
  /** Every request and evidence id ever used, on any branch (a reorg may bring one back). */
  readonly requestIds: string[] = [];
  readonly evidenceIds: string[] = [];
  /** How many steps of each kind were mined. */
  readonly counts: Record<string, number> = {};

  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly consortium: LocalConsortium,
    private readonly rng: () => number,
    spareAccounts: Record<Code, number>,
  ) {
    const bind = (w: Wallet) => connectLedger(consortium.deployment.contracts, w.connect(provider));
    const side = (code: Code): StateSide => ({
      authority: bind(consortium.states[code]!.authority),
      agency: bind(consortium.states[code]!.agency),
      spare: devWallet(spareAccounts[code], provider),
    });
    this.sides = { US: side("US"), MX: side("MX") };
    this.read = connectLedger(consortium.deployment.contracts, provider);
  }

  get deployment(): Deployment {
    return this.consortium.deployment;
  }

  /** A raw JSON-RPC call on the node (evm_snapshot, evm_revert, hardhat_mine…). */
  rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return this.provider.send(method, params) as Promise<T>;
  }

  /** Mines `n` empty blocks. */
  async mine(n = 1): Promise<void> {
    if (n > 0) await this.rpc("hardhat_mine", ["0x" + n.toString(16)]);
  }

  /** Grants (`on`) or revokes the spare account's AGENCY role in `code`, through the state's authority. */
  async setSpareRole(code: Code, on: boolean): Promise<void> {
    const s = this.sides[code];
    await this.mined(s.authority.consortium.setAccountRoles(s.spare.address, on ? Role.AGENCY : 0));
  }

  /** One random valid step: one block. Returns what it did. */
  async step(): Promise<string> {
    const r = this.rng();
    let done: string | undefined;
    if (r < 0.12) done = await this.roleStep();
    else if (r < 0.2) done = undefined;
    else if (r < 0.55 || this.evidenceIds.length === 0) done = await this.requestStep();
    else done = await this.evidenceStep();
    if (!done) {
      await this.mine();
      done = "empty block";
    }
    this.counts[done] = (this.counts[done] ?? 0) + 1;
    return done;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)]!;
  }

  /** Sends a transaction and waits for its receipt (Hardhat mines it at once); a reverting step is skipped. */
  private async mined(send: Promise<ContractTransactionResponse>): Promise<boolean> {
    let tx: ContractTransactionResponse;
    try {
      tx = await send;
    } catch (e) {
      // estimateGas refused it: the chosen transition is not valid here (e.g. an offer that just expired).
      if (/revert|CALL_EXCEPTION/i.test(String((e as Error)?.message ?? e))) return false;
      throw e;
    }
    for (let delay = 5; ; delay = Math.min(100, delay * 2)) {
      const receipt = await this.provider.getTransactionReceipt(tx.hash);
      if (receipt) {
        if (receipt.status !== 1) throw new Error(`driver transaction ${tx.hash} reverted`);
        return true;
      }
      await new Promise((res) => setTimeout(res, delay));
    }
  }

  /** Submits a new request from the US to MX; returns its id. */
  async submitNewRequest(): Promise<string> {
    const id = random32();
    if (!(await this.submit(id))) throw new Error("the driver's request submission reverted");
    return id;
  }

  private async roleStep(): Promise<string | undefined> {
    const code = this.pick(["US", "MX"] as const);
    const [, roles] = await this.read.consortium.accountOf(this.sides[code].spare.address);
    const on = Number(roles) === 0;
    return (await this.mined(this.sides[code].authority.consortium.setAccountRoles(this.sides[code].spare.address, on ? Role.AGENCY : 0)))
      ? `role ${on ? "granted" : "revoked"}`
      : undefined;
  }

  private async submit(requestId: string): Promise<string | undefined> {
    const ok = await this.mined(
      this.sides.US.authority.requests.submitRequest({
        requestId,
        requestedState: toStateBytes("MX"),
        treatyId: this.consortium.bilateralTreaty,
        assistanceTypes: TYPES,
        priority: this.rng() < 0.2 ? Priority.Urgent : Priority.Routine,
        documentDigest: random32(),
        respondBy: 0,
      }),
    );
    if (!ok) return undefined;
    if (!this.requestIds.includes(requestId)) this.requestIds.push(requestId);
    return "request submitted";
  }

  private async requestStep(): Promise<string | undefined> {
    if (this.requestIds.length === 0 || this.rng() < 0.1) return this.submit(random32());
    const id = this.pick(this.requestIds);
    const status = Number((await this.read.requests.request(id)).status) as RequestStatus;
    const us = this.sides.US.authority.requests;
    const mx = this.sides.MX.authority.requests;
    const d = random32();
    const transitions: Partial<Record<RequestStatus, [string, () => Promise<ContractTransactionResponse>][]>> = {
      // Not on this branch: submit the same id again (a different request under an id the index has seen).
      [RequestStatus.None]: [["request resubmitted", () => this.submitNow(id)]],
      [RequestStatus.Submitted]: [
        ["request acknowledged", () => mx.acknowledge(id, d)],
        ["request acknowledged", () => mx.acknowledge(id, d)],
        ["request withdrawn", () => us.withdraw(id, d)],
        ["request changed priority", () => us.changePriority(id, Priority.Urgent, d)],
      ],
      [RequestStatus.Acknowledged]: [
        ["request accepted", () => mx.accept(id, d)],
        ["request accepted", () => mx.accept(id, d)],
        ["request partially accepted", () => mx.partiallyAccept(id, assistanceMask(["BANK_RECORDS"]), d)],
        ["clarification requested", () => mx.requestClarification(id, d)],
        ["request refused", () => mx.refuse(id, RefusalReason.DualCriminalityAbsent, d)],
      ],
      [RequestStatus.ClarificationRequested]: [["clarification provided", () => us.provideClarification(id, d)]],
      [RequestStatus.Accepted]: [["execution started", () => mx.startExecution(id, d)]],
      [RequestStatus.PartiallyAccepted]: [["execution started", () => mx.startExecution(id, d)]],
      [RequestStatus.InExecution]: [
        ["evidence registered", () => this.registerNow(id)],
        ["evidence registered", () => this.registerNow(id)],
        ["evidence registered", () => this.registerNow(id)],
        ["request executed", () => mx.complete(id, d)],
      ],
      [RequestStatus.Executed]: [["request closed", () => us.close(id, d)]],
    };
    const options = transitions[status];
    if (!options) return this.submit(random32());
    const [what, send] = this.pick(options);
    return (await this.mined(send())) ? what : undefined;
  }

  private submitNow(requestId: string): Promise<ContractTransactionResponse> {
    return this.sides.US.authority.requests.submitRequest({
      requestId,
      requestedState: toStateBytes("MX"),
      treatyId: this.consortium.bilateralTreaty,
      assistanceTypes: TYPES,
      priority: Priority.Routine,
      documentDigest: random32(),
      respondBy: 0,
    });
  }

  private registerNow(requestId: string): Promise<ContractTransactionResponse> {
    // Sometimes an evidence id some other branch used: the index must forget the old item entirely.
    const unused = this.evidenceIds.filter(() => this.rng() < 0.1);
    const evidenceId = unused.length > 0 ? unused[0]! : random32();
    if (!this.evidenceIds.includes(evidenceId)) this.evidenceIds.push(evidenceId);
    return this.sides.MX.agency.custody.registerEvidence({
      evidenceId,
      requestId,
      payloadDigest: random32(),
      contentCommitment: random32(),
      manifestDigest: random32(),
      custodianAccount: ZeroAddress,
    });
  }

  private async evidenceStep(): Promise<string | undefined> {
    const id = this.pick(this.evidenceIds);
    const e = await this.read.custody.evidence(id);
    if (BigInt(e.requestId) === 0n || Number(e.disposition) !== CustodyAction.None) return this.requestStep();
    const holder = fromStateBytes(e.custodianState) as Code;
    const other: Code = holder === "US" ? "MX" : "US";
    const d = random32();
    if (BigInt(e.offeredToState) !== 0n) {
      const to = fromStateBytes(e.offeredToState) as Code;
      const [what, send] = this.pick<[string, () => Promise<ContractTransactionResponse>]>([
        ["custody accepted", () => this.sides[to].agency.custody.acceptCustody(id, e.payloadDigest)],
        ["custody accepted", () => this.sides[to].agency.custody.acceptCustody(id, e.payloadDigest)],
        ["custody rejected", () => this.sides[to].agency.custody.rejectCustody(id, d)],
        ["offer cancelled", () => this.sides[holder].agency.custody.cancelOffer(id)],
      ]);
      return (await this.mined(send())) ? what : undefined;
    }
    const now = (await this.provider.getBlock("latest"))!.timestamp;
    const [what, send] = this.pick<[string, () => Promise<ContractTransactionResponse>]>([
      ["custody offered", () => this.sides[holder].agency.custody.offerCustody(id, toStateBytes(other), ZeroAddress, now + DAY, d)],
      ["custody offered", () => this.sides[holder].agency.custody.offerCustody(id, toStateBytes(other), ZeroAddress, now + DAY, d)],
      ["evidence re-encrypted", () => this.sides[holder].agency.custody.recordReencryption(id, random32())],
      ["evidence disposed", () => this.sides[holder].agency.custody.dispose(id, this.pick([CustodyAction.Returned, CustodyAction.Destroyed, CustodyAction.Released]), d)],
    ]);
    return (await this.mined(send())) ? what : undefined;
  }
}
