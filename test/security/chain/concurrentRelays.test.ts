import { NonceManager, Wallet, type HDNodeWallet, type TransactionResponse } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectGateway, type GatewaySession, type Intent } from "../../../sdk/src/gateway/client";
import { connectLedger, LEDGER_INTERFACES } from "../../../sdk/src/ledger/contracts";
import { Role } from "../../../sdk/src/ledger/types";
import { dossierFor, sessionOf, submittedRequest } from "../../helpers/gatewayFixtures";
import { eventually } from "../../helpers/gateways";
import { scaled } from "../../helpers/scale";
import { CODES, startChainNetwork, STORE_OF, type ChainNetwork, type Code } from "./chainNetwork";
import { startHoldingRpcProxy, type HoldingRpcProxy } from "./holdingRpcProxy";
import { rawCall, signIntent } from "./rawCall";

/** Intents signed and handed to each gateway at once. */
const RELAYS = scaled(200, 1_000);
/** Signing accounts per state (each a central authority: they submit requests), each with RELAYS / ACTORS intents. */
const ACTORS = 20;
const EXECUTED = LEDGER_INTERFACES.forwarder.getEvent("ExecutedForwardRequest")!;

/** Waits for a transaction's receipt (Hardhat mines it at once). */
async function mined(tx: TransactionResponse): Promise<void> {
  await eventually(async () => (await tx.provider.getTransactionReceipt(tx.hash)) ?? undefined, 10);
}

describe(`${RELAYS} concurrent relays per gateway (US on ${STORE_OF.US}, MX on ${STORE_OF.MX}, both at once)`, () => {
  let cn: ChainNetwork<HoldingRpcProxy>;
  let proxy: HoldingRpcProxy;
  beforeAll(async () => {
    // The proxy sees every JSON-RPC error the node answers, including nonce errors a sender retried quietly.
    // Small relay batches: many relayer transactions, interleaved with audit anchors from the same key.
    cn = await startChainNetwork({ proxy: startHoldingRpcProxy, overrides: { relayBatchSize: 8, auditAnchorIntervalMs: 500 } });
    proxy = cn.proxy;
  });
  afterAll(async () => {
    await cn?.stop();
  });

  it("relays every intent exactly once, with contiguous relayer nonces and no nonce error", async () => {
    const other: Record<Code, Code> = { US: "MX", MX: "US" };
    const actors = {} as Record<Code, HDNodeWallet[]>;
    for (const code of CODES) {
      // New central-authority accounts, granted through the membership rules (the state's authority).
      actors[code] = Array.from({ length: ACTORS }, () => Wallet.createRandom());
      const authority = connectLedger(cn.net.consortium.deployment.contracts, new NonceManager(cn.net.consortium.states[code]!.authority.connect(cn.rpc)));
      let last: TransactionResponse | undefined;
      for (const w of actors[code]) last = await authority.consortium.setAccountRoles(w.address, Role.CENTRAL_AUTHORITY);
      await mined(last!);
    }
    const sessions = {} as Record<Code, GatewaySession[]>;
    for (const code of CODES) sessions[code] = await Promise.all(actors[code].map((w) => connectGateway(cn.gateway(code).url, w)));

    // Prepared intents: RELAYS / ACTORS per account, in the account's nonce order.
    const prepared = {} as Record<Code, Intent[][]>;
    await Promise.all(
      CODES.map(async (code) => {
        prepared[code] = await Promise.all(
          sessions[code].map(async (s) => {
            const list: Intent[] = [];
            for (let i = 0; i < RELAYS / ACTORS; i++) {
              list.push((await s.call<{ intent: Intent }>("POST", "/v1/requests", { dossier: dossierFor(cn.net, code, other[code]) })).intent);
            }
            return list;
          }),
        );
      }),
    );
    const signatures = new Map<string, string>();
    for (const code of CODES) {
      for (const [i, list] of prepared[code].entries()) for (const intent of list) signatures.set(intent.id, await signIntent(actors[code][i]!, intent));
    }

    // Decryptions during the storm make audit entries, anchored by the same relayer key as the relays.
    const readers = { US: await sessionOf(cn.net, "US"), MX: await sessionOf(cn.net, "MX") };
    const readable = { US: await submittedRequest(cn.net, readers.US, "MX"), MX: await submittedRequest(cn.net, readers.MX, "US") };
    const relayers = Object.fromEntries(CODES.map((c) => [c, cn.gateway(c).ctx.chain.sender.address])) as Record<Code, string>;
    const startBlock = await cn.rpc.getBlockNumber();
    const startNonce = Object.fromEntries(await Promise.all(CODES.map(async (c) => [c, await cn.rpc.getTransactionCount(relayers[c], "latest")]))) as Record<Code, number>;
    const logsBefore = Object.fromEntries(CODES.map((c) => [c, cn.logs[c].length])) as Record<Code, number>;
    const errorsBefore = proxy.errors.length;

    let reading = true;
    const audit = CODES.map(async (code) => {
      while (reading) {
        await readers[code].call("GET", `/v1/requests/${readable[code]}/dossier`);
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    // All signatures at once, both gateways: the accounts' first intents first, as clients would sign them.
    const answers = await Promise.all(
      CODES.flatMap((code) =>
        Array.from({ length: RELAYS / ACTORS }, (_, k) => prepared[code].map((list, i) => ({ code, i, intent: list[k]! }))).flat(),
      ).map(({ code, i, intent }) =>
        rawCall(cn.gateway(code).url, sessions[code][i]!.token, "POST", `/v1/intents/${intent.id}/signature?wait=none`, { signature: signatures.get(intent.id) }),
      ),
    );
    expect(answers.filter((a) => a.status !== 202).map((a) => a.status)).toEqual([]);
    for (const code of CODES) {
      const ids = prepared[code].flat().map((i) => i.id);
      await eventually(async () => {
        const open = await cn.gateway(code).ctx.store.db.selectFrom("intents").select("id").where("id", "in", ids).where("status", "!=", "mined").execute();
        return open.length === 0 ? true : undefined;
      }, 100);
    }
    reading = false;
    await Promise.all(audit);
    // The last audit batches anchored too: nothing of either gateway left in the outbox.
    for (const code of CODES) {
      await eventually(async () => {
        const jobs = await cn.gateway(code).outbox.counts();
        return !jobs.pending && !jobs.running ? true : undefined;
      }, 100);
    }

    const head = await cn.rpc.getBlockNumber();
    const blocks = await Promise.all(Array.from({ length: head - startBlock }, (_, i) => cn.rpc.getBlock(startBlock + 1 + i, true)));
    const ledger = connectLedger(cn.net.consortium.deployment.contracts, cn.rpc);
    const executed = await ledger.forwarder.queryFilter(ledger.forwarder.filters.ExecutedForwardRequest(), startBlock + 1, head);
    const figures: Record<string, unknown> = {};
    for (const code of CODES) {
      const relayer = relayers[code].toLowerCase();
      const txs = blocks.flatMap((b) => b!.prefetchedTransactions).filter((t) => t.from.toLowerCase() === relayer);
      const nonces = txs.map((t) => t.nonce).sort((a, b) => a - b);
      // Counted at `head`, the last block read: the audit scheduler may anchor a new batch after that read.
      const latest = await cn.rpc.getTransactionCount(relayer, head);
      // Contiguous: exactly startNonce, startNonce + 1, …, latest - 1; nothing left pending.
      expect(nonces, `${code}: relayer nonces`).toEqual(Array.from({ length: latest - startNonce[code] }, (_, i) => startNonce[code] + i));
      // Nothing stuck in the node's pool: the pending count reaches the mined one. Read twice when they differ:
      // the audit scheduler may send and mine a batch between the two reads (a CI run read pending 56, latest 57).
      let counts: number[] = [];
      for (let read = 0; read < 10; read++) {
        counts = [await cn.rpc.getTransactionCount(relayer, "pending"), await cn.rpc.getTransactionCount(relayer, "latest")];
        if (counts[0] === counts[1]) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(counts[0], `${code}: relayer transactions pending (pending, latest: ${counts.join(", ")})`).toBe(counts[1]);
      const receipts = await Promise.all(txs.map((t) => cn.rpc.getTransactionReceipt(t.hash)));
      expect(receipts.filter((r) => r?.status !== 1).map((r) => r?.hash)).toEqual([]);
      // Every intent executed exactly once, successfully, by this gateway's relayer, and its request anchored once.
      const relayTxs = new Set(txs.map((t) => t.hash));
      for (const intent of prepared[code].flat()) {
        const nonce = BigInt((intent.typedData.message as { nonce: string | bigint }).nonce);
        const runs = executed.filter((e) => e.args.signer.toLowerCase() === intent.actor.toLowerCase() && e.args.nonce === nonce);
        expect(runs.map((e) => [e.args.success, relayTxs.has(e.transactionHash)]), `${code}: intent ${intent.id}`).toEqual([[true, true]]);
      }
      const submitted = await ledger.requests.queryFilter(ledger.requests.filters.RequestSubmitted(), startBlock + 1, head);
      const ids = new Set(prepared[code].flat().map((i) => i.requestId));
      expect(submitted.filter((s) => ids.has(s.args.requestId)).length).toBe(RELAYS);
      const nonceLogs = cn.logs[code].slice(logsBefore[code]).filter((l) => /nonce/i.test(l));
      expect(nonceLogs, `${code}: nonce errors in the gateway's log`).toEqual([]);
      const anchors = txs.filter((t) => t.to?.toLowerCase() === cn.net.consortium.deployment.contracts.anchors.toLowerCase()).length;
      figures[`${code} (${STORE_OF[code]})`] = { intents: RELAYS, actors: ACTORS, relayerTransactions: txs.length, anchorTransactions: anchors, nonces: [nonces[0], nonces.at(-1)], gaps: 0, duplicates: 0 };
    }
    const sendErrors = proxy.errors.slice(errorsBefore).filter((e) => e.method === "eth_sendRawTransaction");
    expect(sendErrors, "errors the node answered to eth_sendRawTransaction").toEqual([]);
    // The gateway has no nonce metric; its relay metrics must show no failed intent and no abandoned job.
    for (const code of CODES) {
      const metrics = await (await fetch(`${cn.gateway(code).url}/metrics`)).text();
      const failing = metrics.split("\n").filter((l) => /^mlat_(intents\{status="(failed|expired)"|outbox_jobs\{[^}]*status="dead")/.test(l) && !/ 0$/.test(l));
      expect(failing, `${code}: /metrics`).toEqual([]);
      expect(metrics).toMatch(/^mlat_intents\{status="mined"\} [1-9]/m);
    }
    console.info(`[chain faults] concurrent relays: ${JSON.stringify(figures)}`);
  }, 30 * 60_000);
});
