import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Intent } from "../../../sdk/src/gateway/client";
import { connectLedger } from "../../../sdk/src/ledger/contracts";
import { RequestStatus } from "../../../sdk/src/ledger/types";
import { dossierFor, sessionOf, submittedRequest } from "../../helpers/gatewayFixtures";
import { eventually } from "../../helpers/gateways";
import { startRpcProxy, type RpcProxy } from "../../helpers/rpcProxy";
import { scaled } from "../../helpers/scale";
import { CODES, startChainNetwork, STORE_OF, storedCheckpoint, type ChainNetwork, type Code } from "./chainNetwork";
import { rawCall, signIntent, type RawAnswer } from "./rawCall";

/** The outage: 30 s in CI, two minutes (past the membership cache's minute) under test:deep. */
const OUTAGE_MS = scaled(30_000, 120_000);
/** The product promise: caught up within a minute of the node's return. */
const CATCH_UP_MS = 60_000;
const CLIENTS_PER_GATEWAY = 3;
const LOAD_BEFORE_MS = 4_000;

type Phase = "before" | "outage" | "after";
/**
 * Answers per phase, call kind and status ("503 without Retry-After" counted apart). A call that started in
 * one phase and was answered in another is counted under "straddling": the node may have been up for the
 * part of it that reached the chain (a /readyz sent in the outage's last milliseconds can find it back).
 */
type Tally = Record<Phase | "straddling", Record<string, Record<string, number>>>;

/**
 * A node outage under load. Decision (for docs/security.md): while the node is unreachable, every call that
 * needs the chain (creating a request: it is simulated and its nonce read; signing in: roles are read) answers
 * 503 with Retry-After; a signature of an intent already prepared is accepted (202) and queued in the outbox;
 * reads of indexed data are served from the index as long as the caller's membership is cached (a minute),
 * 503 with Retry-After after that; /readyz answers 503.
 */
describe(`a ${OUTAGE_MS / 1000} s RPC outage under load (US on ${STORE_OF.US}, MX on ${STORE_OF.MX})`, () => {
  let cn: ChainNetwork<RpcProxy>;
  let proxy: RpcProxy;
  beforeAll(async () => {
    cn = await startChainNetwork({ proxy: startRpcProxy });
    proxy = cn.proxy;
  });
  afterAll(async () => {
    await cn?.stop();
  });

  it(
    "answers 503 with Retry-After while the node is down, loses no acknowledged write, and is caught up within 60 s of its return",
    async () => {
      const other: Record<Code, Code> = { US: "MX", MX: "US" };
      const sessions = { US: await sessionOf(cn.net, "US"), MX: await sessionOf(cn.net, "MX") };
      const readable = { US: await submittedRequest(cn.net, sessions.US, "MX"), MX: await submittedRequest(cn.net, sessions.MX, "US") };
      const tally = { US: emptyTally(), MX: emptyTally() } as Record<Code, Tally>;
      const acknowledged = { US: [], MX: [] } as Record<Code, { intentId: string; requestId: string }[]>;
      let phase: Phase = "before";
      let stop = false;
      /** Tallies an answer under the phase its call was sent and answered in, or as straddling two phases. */
      const observe = async <T,>(code: Code, kind: string, call: Promise<RawAnswer<T>>): Promise<RawAnswer<T>> => {
        const sentIn = phase;
        const a = await call;
        const at = phase === sentIn ? sentIn : "straddling";
        const key = a.status === 503 && !a.retryAfter ? "503 without Retry-After" : String(a.status);
        const t = (tally[code][at][kind] ??= {});
        t[key] = (t[key] ?? 0) + 1;
        return a;
      };

      /** Creates requests and signs them; when creation is refused, signs the intents it holds in reserve. */
      const client = async (code: Code) => {
        const { url, token } = sessions[code];
        const signer = cn.net.consortium.states[code]!.authority;
        const reserve: Intent[] = [];
        while (!stop) {
          const created = await observe(code, "create", rawCall<{ requestId: string; intent: Intent }>(url, token, "POST", "/v1/requests", { dossier: dossierFor(cn.net, code, other[code]) }));
          if (created.status === 201) reserve.push(created.body!.intent);
          if (reserve.length > 4 || (created.status !== 201 && reserve.length > 0)) {
            const intent = reserve.shift()!;
            const signature = await signIntent(signer, intent);
            const signed = await observe(code, "sign", rawCall<Intent>(url, token, "POST", `/v1/intents/${intent.id}/signature?wait=none`, { signature }));
            if (signed.status === 202) acknowledged[code].push({ intentId: intent.id, requestId: intent.requestId! });
          }
          if (created.status !== 201) await new Promise((r) => setTimeout(r, 250));
        }
      };
      /** Reads indexed data and readiness. */
      const reader = async (code: Code) => {
        const { url, token } = sessions[code];
        while (!stop) {
          await observe(code, "read one", rawCall(url, token, "GET", `/v1/requests/${readable[code]}`));
          await observe(code, "read list", rawCall(url, token, "GET", "/v1/requests?limit=5"));
          await observe(code, "readyz", rawCall(url, token, "GET", "/readyz"));
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      const load = CODES.flatMap((code) => [reader(code), ...Array.from({ length: CLIENTS_PER_GATEWAY }, () => client(code))]);

      await new Promise((r) => setTimeout(r, LOAD_BEFORE_MS));
      phase = "outage";
      proxy.setDown(true);
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      proxy.setDown(false);
      const back = Date.now();
      phase = "after";
      stop = true;
      await Promise.all(load);

      // Caught up: every acknowledged write mined, the outbox empty, the index at the head.
      const caughtUpAfter = await Promise.all(
        CODES.map(async (code) => {
          const gw = cn.gateway(code);
          const ids = acknowledged[code].map((a) => a.intentId);
          // An acknowledged intent that failed will never be mined: stop waiting and report it.
          const failed = await eventually(async () => {
            const open = await gw.ctx.store.db.selectFrom("intents").select(["id", "status", "error"]).where("id", "in", ids).where("status", "!=", "mined").execute();
            const lost = open.filter((i) => i.status === "failed").map((i) => `${i.id}: ${i.error}`);
            if (lost.length > 0) return lost;
            const jobs = await gw.outbox.counts();
            const head = await cn.rpc.getBlockNumber();
            const indexed = gw.indexer.lastError === undefined && (await storedCheckpoint(gw)) === head;
            return open.length === 0 && !jobs.pending && !jobs.running && indexed ? [] : undefined;
          }, 100);
          expect(failed, `${code}: acknowledged intents that failed`).toEqual([]);
          return Date.now() - back;
        }),
      );

      const ledger = connectLedger(cn.net.consortium.deployment.contracts, cn.rpc);
      const submissions = await ledger.requests.queryFilter(ledger.requests.filters.RequestSubmitted(), cn.net.consortium.deployment.deployBlock, "latest");
      const figures: Record<string, unknown> = { outageMs: OUTAGE_MS, caughtUpAfterMs: Object.fromEntries(CODES.map((c, i) => [c, caughtUpAfter[i]])) };
      for (const code of CODES) {
        const gw = cn.gateway(code);
        const t = tally[code];
        figures[`${code} (${STORE_OF[code]})`] = { acknowledged: acknowledged[code].length, tally: t, jobs: await gw.outbox.counts() };
        // While the node was down: creation refused with 503 and Retry-After, never another failure.
        expect(t.outage.create?.["503"] ?? 0, `${code}: creations refused during the outage`).toBeGreaterThan(0);
        for (const [kind, statuses] of Object.entries(t.outage)) {
          for (const status of Object.keys(statuses)) expect(["200", "201", "202", "503"], `${code} ${kind} answered ${status} during the outage`).toContain(status);
        }
        expect(t.outage.readyz?.["200"] ?? 0, `${code}: /readyz said ready while the node was down`).toBe(0);
        // Signatures of prepared intents were acknowledged during the outage, and nothing acknowledged is lost.
        expect(t.outage.sign?.["202"] ?? 0, `${code}: signatures accepted during the outage`).toBeGreaterThan(0);
        for (const { requestId } of acknowledged[code]) {
          expect(submissions.filter((s) => s.args.requestId === requestId), `${code}: request ${requestId} submitted once`).toHaveLength(1);
          expect(Number((await ledger.requests.request(requestId)).status)).toBe(RequestStatus.Submitted);
        }
        expect((await gw.outbox.counts()).dead ?? 0, `${code}: abandoned jobs`).toBe(0);
      }
      console.info(`[chain faults] RPC outage: ${JSON.stringify(figures)}`);
      for (const ms of caughtUpAfter) expect(ms).toBeLessThan(CATCH_UP_MS);
    },
    30 * 60_000,
  );
});

function emptyTally(): Tally {
  return { before: {}, outage: {}, after: {}, straddling: {} };
}
