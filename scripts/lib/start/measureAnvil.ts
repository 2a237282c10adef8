/**
 * How anvil holds up under the local stack's real load (docs/local-consortium.md, "Choosing the chain"):
 * the stack as `npm start` runs it (three gateways, one relayer key each) in a temp directory, then rounds
 * of `--requests` request submissions spread over the three states' central authorities, `--clients`
 * concurrent writers per state; per round: requests/s, p50/p99 of a write (prepare → sign → mined), the
 * state file's size; at the end a clean stop/restart (dump and load times) and a SIGKILL after one state
 * interval (what a crash keeps).
 *
 *   npx ts-node --transpile-only scripts/lib/start/measureAnvil.ts [--requests 300] [--rounds 3] [--clients 8] [--anvil-args "--block-time 1"]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { JsonRpcProvider } from "ethers";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { parseArgs } from "../args";
import { signIn } from "../demo/connect";
import { demoDossier } from "../demo/dossier";
import { startAnvil } from "./anvil";
import { freePortBase } from "./ports";
import { readLocalFile, type LocalFile } from "./localFile";
import { startLocalStack } from "./stack";

const say = (line: string) => process.stderr.write(`${line}\n`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Pairs of (requesting, requested, treaty): every state sends, so all three relayers work. */
function routes(local: LocalFile): [string, string, string][] {
  return [
    ["US", "MX", local.treaties.bilateral],
    ["MX", "US", local.treaties.bilateral],
    ["ES", "MX", local.treaties.untoc],
  ];
}

async function round(local: LocalFile, sessions: Record<string, GatewaySession>, total: number, clients: number) {
  const latencies: number[] = [];
  let left = total;
  const started = performance.now();
  await Promise.all(
    routes(local).flatMap(([from, to, treaty]) =>
      Array.from({ length: clients }, async () => {
        const dossier = demoDossier(treaty);
        dossier.requestingAuthority = { ...dossier.requestingAuthority, state: from };
        dossier.requestedAuthority = { ...dossier.requestedAuthority, state: to };
        while (left > 0) {
          left--;
          const t = performance.now();
          await sessions[from]!.write<{ intent: Intent }>("/v1/requests", { dossier }, "mined");
          latencies.push(performance.now() - t);
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, perSecond: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ["requests", "rounds", "clients", "anvil-args"] });
  const total = Number(args.requests ?? 300);
  const rounds = Number(args.rounds ?? 3);
  const clients = Number(args.clients ?? 8);
  const anvilArgs = typeof args["anvil-args"] === "string" ? args["anvil-args"].split(" ").filter(Boolean) : [];
  const dir = mkdtempSync(join(tmpdir(), "mlat-anvil-measure-"));
  const portBase = await freePortBase();
  try {
    let stack = await startLocalStack({ dataDir: dir, portBase, log: say, gatewayOverrides: { logLevel: "warn" }, anvilArgs });
    const local = readLocalFile(stack.layout.localFile);
    const sessions = Object.fromEntries(await Promise.all(["US", "MX", "ES"].map(async (c) => [c, await signIn(local, c, "authority")] as const)));
    for (let r = 1; r <= rounds; r++) {
      const m = await round(local, sessions, total, clients);
      await new Promise((res) => setTimeout(res, 5500)); // let one interval dump happen
      const size = statSync(stack.layout.chainState).size;
      say(
        `round ${r}: ${total} requests in ${m.seconds.toFixed(1)} s = ${m.perSecond.toFixed(1)}/s; write p50 ${m.p50.toFixed(0)} ms, p99 ${m.p99.toFixed(0)} ms; state file ${(size / 1e6).toFixed(1)} MB`,
      );
    }
    const provider = new JsonRpcProvider(local.rpcUrl, undefined, { staticNetwork: true });
    const blocks = await provider.getBlockNumber();
    provider.destroy();
    let t = performance.now();
    await stack.stop();
    say(`clean stop (gateways, then anvil's dump of ${blocks} blocks): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    stack = await startLocalStack({ dataDir: dir, portBase, log: () => undefined, gatewayOverrides: { logLevel: "warn" }, anvilArgs });
    say(`restart (anvil loads the state, gateways start): ${((performance.now() - t) / 1000).toFixed(1)} s, consortium reused: ${stack.reused}`);
    const us = await signIn(stack.local, "US", "authority");
    const listed = await us.call<{ items: unknown[] }>("GET", "/v1/requests?limit=1");
    say(`after restart the US gateway lists requests: ${listed.items.length > 0}`);
    // A crash: one write, one state interval, SIGKILL.
    const { requestId } = await us.write<{ requestId: string; intent: Intent }>("/v1/requests", { dossier: demoDossier(stack.local.treaties.bilateral) }, "mined");
    await new Promise((res) => setTimeout(res, 5500));
    await Promise.all(Object.values(stack.gateways).map((g) => g.kill()));
    await stack.chain.kill();
    const again = await startAnvil({ port: portBase, stateFile: stack.layout.chainState, extraArgs: anvilArgs });
    const p = new JsonRpcProvider(again.url, undefined, { staticNetwork: true });
    const code = await p.getCode(stack.local.consortium);
    const logs = await p.getLogs({ fromBlock: 0, topics: [null, requestId] });
    say(`after SIGKILL: consortium code ${code.length > 2 ? "present" : "MISSING"}; the request written ${"5.5"} s before the kill: ${logs.length > 0 ? "present" : "lost"}`);
    p.destroy();
    await again.stop();
  } catch (e) {
    for (const code of ["US", "MX", "ES"]) {
      const log = join(dir, code, "gateway.log");
      if (existsSync(log)) say(`--- ${code} gateway log (tail)\n${readFileSync(log, "utf8").split("\n").slice(-15).join("\n")}`);
    }
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  say(`measureAnvil: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
