import { NonceManager, Wallet, type ContractTransactionResponse } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptBytes } from "../../../sdk/src/crypto/ageDecrypt";
import { formatRecipient, generateIdentity } from "../../../sdk/src/crypto/keys";
import { uploadEvidence } from "../../../sdk/src/gateway/evidence";
import { connectGateway, type Intent } from "../../../sdk/src/gateway/client";
import { GatewayRequestError } from "../../../sdk/src/gateway/http";
import { connectLedger, type LedgerContracts } from "../../../sdk/src/ledger/contracts";
import { recipientToKeyBytes } from "../../../sdk/src/ledger/encryptionKey";
import { Role } from "../../../sdk/src/ledger/types";
import { randomFile, requestInExecution } from "../../gateway/evidence/scenario";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually } from "../../helpers/gateways";
import { startRpcProxy, type RpcProxy } from "../../helpers/rpcProxy";
import { CODES, startChainNetwork, STORE_OF, storedCheckpoint, type ChainNetwork, type Code } from "./chainNetwork";
import { rawCall, signIntent } from "./rawCall";

const OTHER: Record<Code, Code> = { US: "MX", MX: "US" };

describe(`key rotation (US on ${STORE_OF.US}, MX on ${STORE_OF.MX})`, () => {
  let cn: ChainNetwork<RpcProxy>;
  beforeAll(async () => {
    cn = await startChainNetwork({ proxy: startRpcProxy });
  });
  afterAll(async () => {
    await cn?.stop();
  });

  /** `code`'s central authority writing straight to the ledger (the membership rules: a state manages its own accounts). */
  function authorityOf(code: Code): LedgerContracts {
    return connectLedger(cn.net.consortium.deployment.contracts, new NonceManager(cn.net.consortium.states[code]!.authority.connect(cn.rpc)));
  }

  /** Sends a transaction and returns the block it was mined in. */
  async function minedIn(send: Promise<ContractTransactionResponse>): Promise<number> {
    const tx = await send;
    return eventually(async () => (await cn.rpc.getTransactionReceipt(tx.hash))?.blockNumber, 10);
  }

  /** Waits until `code`'s gateway has indexed `block`. */
  async function indexed(code: Code, block: number): Promise<void> {
    await eventually(async () => ((await storedCheckpoint(cn.gateway(code))) >= block ? true : undefined));
  }

  it("refuses a removed agency account from the next indexed block, fails its queued intent once with the ledger's error, and admits its replacement", async () => {
    for (const code of CODES) {
      const gw = cn.gateway(code);
      const requestId = await requestInExecution(cn.net, await sessionOf(cn.net, OTHER[code]), await sessionOf(cn.net, code));
      const oldAgency = await sessionOf(cn.net, code, "agency");
      // The agency signs an evidence registration; the relay waits (outbox paused) until after the removal.
      await gw.outbox.stop();
      const file = randomFile(cn.net, `extract-${code}.bin`, 1024);
      const { intent } = await uploadEvidence(oldAgency, requestId, file.path, { mediaType: "application/octet-stream" }, "none");
      expect(intent.status).toBe("queued");

      const replacement = Wallet.createRandom();
      const authority = authorityOf(code);
      const removedAt = await minedIn(authority.consortium.setAccountRoles(oldAgency.address, 0));
      await minedIn(authority.consortium.setAccountRoles(replacement.address, Role.AGENCY));
      await indexed(code, removedAt);

      const refused = await rawCall(gw.url, oldAgency.token, "GET", "/v1/requests?limit=1");
      expect(refused.status, `${code}: the removed account's session`).toBe(403);
      await expect(connectGateway(gw.url, cn.net.consortium.states[code]!.agency)).rejects.toSatisfy((e) => e instanceof GatewayRequestError && e.status === 403);
      const fresh = await connectGateway(gw.url, replacement);
      expect((await rawCall(gw.url, fresh.token, "GET", "/v1/requests?limit=1")).status).toBe(200);

      gw.outbox.start();
      const settled = await eventually(async () => {
        const row = await gw.ctx.store.db.selectFrom("intents").selectAll().where("id", "=", intent.id).executeTakeFirstOrThrow();
        return row.status === "queued" || row.status === "sent" ? undefined : row;
      });
      expect(settled.status, `${code}: the removed signer's intent`).toBe("failed");
      expect(settled.error, `${code}: the intent's error names the ledger's refusal`).toMatch(/ConsortiumUnauthorizedAccount/);
      // Relayed once, refused once: one execution on-chain, one attempt of the job, nothing retried.
      const ledger = connectLedger(cn.net.consortium.deployment.contracts, cn.rpc);
      const runs = await ledger.forwarder.queryFilter(ledger.forwarder.filters.ExecutedForwardRequest(oldAgency.address), removedAt, "latest");
      expect(runs.map((r) => r.args.success)).toEqual([false]);
      const job = await gw.ctx.store.db.selectFrom("jobs").selectAll().where("id", "=", `relay:${intent.id}`).executeTakeFirstOrThrow();
      expect([job.status, job.attempts]).toEqual(["done", 0]);
    }
  }, 20 * 60_000);

  it("relays the jobs pending at a relayer-key rotation from the new key, losing none", async () => {
    for (const code of CODES) {
      const gw = cn.gateway(code);
      const session = await sessionOf(cn.net, code);
      const prepared: Intent[] = [];
      for (let i = 0; i < 6; i++) prepared.push((await session.call<{ intent: Intent }>("POST", "/v1/requests", { dossier: dossierFor(cn.net, code, OTHER[code]) })).intent);
      // Half relayed by the old key, half signed while the outbox is paused: pending at the rotation.
      for (const intent of prepared.slice(0, 3)) await session.sign(intent, "mined");
      await gw.outbox.stop();
      for (const intent of prepared.slice(3)) expect((await session.sign(intent, "none")).status).toBe("queued");

      const oldRelayer = gw.ctx.chain.sender.address;
      const newRelayer = Wallet.createRandom();
      await cn.rpc.send("hardhat_setBalance", [newRelayer.address, "0x56BC75E2D63100000"]);
      await minedIn(authorityOf(code).consortium.setAccountRoles(newRelayer.address, Role.GATEWAY));
      const rotatedAt = await cn.rpc.getBlockNumber();
      const oldNonce = await cn.rpc.getTransactionCount(oldRelayer);
      const restarted = await cn.restart(code, { relayerKey: newRelayer.privateKey });
      expect(restarted.ctx.chain.sender.address).toBe(newRelayer.address);

      const final = await Promise.all(prepared.map((i) => eventually(async () => {
        const now = await session.call<Intent>("GET", `/v1/intents/${i.id}`);
        return ["mined", "failed", "expired"].includes(now.status) ? now : undefined;
      }, 100)));
      expect(final.map((i) => i.status)).toEqual(prepared.map(() => "mined"));
      for (const i of final.slice(3)) expect((await cn.rpc.getTransaction(i.transactionHash!))!.from).toBe(newRelayer.address);
      expect(await cn.rpc.getTransactionCount(oldRelayer), "the old key sent nothing after the rotation").toBe(oldNonce);
      const ledger = connectLedger(cn.net.consortium.deployment.contracts, cn.rpc);
      const submitted = await ledger.requests.queryFilter(ledger.requests.filters.RequestSubmitted(), rotatedAt - 10, "latest");
      for (const i of prepared) expect(submitted.filter((s) => s.args.requestId === i.requestId)).toHaveLength(1);
    }
  }, 20 * 60_000);

  it("settles an intent that the old key's still-unmined relay executed after the new key relayed it again, as mined once", async () => {
    for (const code of CODES) {
      const session = await sessionOf(cn.net, code);
      const prepared: Intent[] = [];
      for (let i = 0; i < 3; i++) prepared.push((await session.call<{ intent: Intent }>("POST", "/v1/requests", { dossier: dossierFor(cn.net, code, OTHER[code]) })).intent);
      const newRelayer = Wallet.createRandom();
      await cn.rpc.send("hardhat_setBalance", [newRelayer.address, "0x56BC75E2D63100000"]);
      await minedIn(authorityOf(code).consortium.setAccountRoles(newRelayer.address, Role.GATEWAY));
      const fromBlock = await cn.rpc.getBlockNumber();
      try {
        // The old key's relay reaches the node, but no block is mined before the gateway loses its node
        // and is stopped; the operator starts it again on the new key.
        await cn.rpc.send("evm_setAutomine", [false]);
        // Signed while the outbox is paused, the three go out in one batch (one relay waits for one receipt).
        await cn.gateway(code).outbox.stop();
        for (const intent of prepared) expect((await session.sign(intent, "none")).status).toBe("queued");
        cn.gateway(code).outbox.start();
        const sent = await Promise.all(prepared.map((i) => eventually(async () => {
          const now = await session.call<Intent>("GET", `/v1/intents/${i.id}`);
          return now.status === "sent" ? now.transactionHash! : undefined;
        }, 100)));
        cn.proxy.setDown(true);
        await cn.stopGateway(code);
        cn.proxy.setDown(false);
        // Past the jobs' first retry delay (< 1 s), so the restarted gateway relays all three in one batch.
        await new Promise((r) => setTimeout(r, 1_500));
        await cn.restart(code, { relayerKey: newRelayer.privateKey });
        // The same intents relayed again by the new key (their nonces still look unused)…
        await eventually(async () => {
          const now = await Promise.all(prepared.map((i) => session.call<Intent>("GET", `/v1/intents/${i.id}`)));
          return now.every((n, k) => n.transactionHash && n.transactionHash !== sent[k]) ? true : undefined;
        }, 100);
        // …and one block holds both relays: the old key's executes the requests, the new key's finds them done.
        await cn.rpc.send("evm_mine", []);
      } finally {
        cn.proxy.setDown(false);
        await cn.rpc.send("evm_setAutomine", [true]);
      }
      const final = await Promise.all(prepared.map((i) => eventually(async () => {
        const now = await session.call<Intent>("GET", `/v1/intents/${i.id}`);
        return ["mined", "failed", "expired"].includes(now.status) ? now : undefined;
      }, 100)));
      expect(final.map((i) => [i.status, i.error]), `${code} on ${STORE_OF[code]}`).toEqual(prepared.map(() => ["mined", null]));
      const ledger = connectLedger(cn.net.consortium.deployment.contracts, cn.rpc);
      const runs = await ledger.forwarder.queryFilter(ledger.forwarder.filters.ExecutedForwardRequest(), fromBlock, "latest");
      for (const i of final) {
        const run = runs.filter((r) => r.args.signer === i.actor && r.args.nonce === BigInt((i.typedData.message as { nonce: string }).nonce));
        expect(run.map((r) => [r.args.success, r.transactionHash])).toEqual([[true, i.transactionHash]]);
      }
    }
  }, 20 * 60_000);

  it("encrypts to a counterpart's rotated key once indexed, and forgets a rotation that a reorg removed", async () => {
    const us = await sessionOf(cn.net, "US");
    const gw = cn.gateway("US");
    const mxOld = cn.net.consortium.states.MX!.identity;
    const mxNew = generateIdentity();
    /** The identities that open the dossier of a request the US gateway prepares for MX now. */
    const openers = async () => {
      const { documentDigest } = await us.call<{ documentDigest: string }>("POST", "/v1/requests", { dossier: dossierFor(cn.net, "US", "MX") });
      const chunks: Buffer[] = [];
      for await (const c of gw.ctx.blobs.read(documentDigest)) chunks.push(c as Buffer);
      const file = Buffer.concat(chunks);
      const opens = (identity: typeof mxOld) => {
        try {
          decryptBytes(file, { identities: [identity] });
          return true;
        } catch {
          return false;
        }
      };
      return { old: opens(mxOld), new: opens(mxNew) };
    };
    expect(await openers()).toEqual({ old: true, new: false });

    const snapshot = await cn.rpc.send("evm_snapshot", []);
    const rotatedAt = await minedIn(authorityOf("MX").consortium.rotateEncryptionKey(recipientToKeyBytes(formatRecipient(mxNew.recipient))));
    await indexed("US", rotatedAt);
    expect(await openers(), "after the rotation").toEqual({ old: false, new: true });

    // The rotation leaves the canonical chain: MX's published key is the old one again.
    await cn.rpc.send("evm_revert", [snapshot]);
    await cn.rpc.send("evm_increaseTime", [1]);
    await cn.rpc.send("hardhat_mine", ["0x3"]);
    const head = await cn.rpc.getBlockNumber();
    await eventually(async () => {
      await gw.indexer.poll();
      await gw.indexer.poll();
      return gw.indexer.lastError === undefined && (await storedCheckpoint(gw)) === head ? true : undefined;
    });
    expect(await openers(), "after the reorg removed the rotation").toEqual({ old: true, new: false });
  }, 20 * 60_000);
});
