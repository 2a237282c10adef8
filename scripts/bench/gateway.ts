/**
 * Gateway benchmark, against Hardhat's node over JSON-RPC with gateways as their own processes:
 *
 *   - requests: `--clients` concurrent agency clients (each its own central-authority key) create requests
 *     through REST with a `--dossier-kib` dossier (prepare, then sign and hand over) until `--requests`
 *     are anchored on-chain: anchored requests per second (first call to last RequestSubmitted mined)
 *     and p50/p99 of the gateway's HTTP answers;
 *   - upload: a `--upload-mib` evidence file streamed to the executing state's gateway (sealed, stored,
 *     registration prepared) `--upload-repeat` times: MB/s end to end (the best run, and every run) and
 *     the gateway process's peak RSS.
 *
 *   npm run bench:gateway -- [--json out.json] [--requests 2000] [--clients 16] [--dossier-kib 10] [--upload-mib 1024] [--upload-repeat 3]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { connectGateway, type GatewaySession, type Intent } from "../../sdk/src/gateway/client";
import { connectLedger } from "../../sdk/src/ledger/contracts";
import { Role } from "../../sdk/src/ledger/types";
import { benchDossier } from "./benchDossier";
import { useNativeKeccak } from "../../gateway/src/chain/nativeKeccak";
import { parseArgs } from "../lib/args";
import { startGatewayProcess, type GatewayProcess } from "../lib/gatewayProcess";
import { freePort } from "../lib/freePort";
import { startHardhatNode } from "../lib/hardhatNode";
import { foundLocalConsortium, type LocalConsortium } from "../lib/localConsortium";
import { benchUpload } from "./gatewayUpload";

const progress = (s: string) => process.stderr.write(`${s}\n`);

/** Percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** CPU seconds (user + system) a process has used, from /proc; the node's children included. */
function cpuSeconds(pid: number): number {
  const ticks = (p: number) => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      return 0;
    }
  };
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const all = (p: number): number[] => [p, ...children(p).flatMap(all)];
  return all(pid).reduce((s, p) => s + ticks(p), 0) / 100;
}
function cpuSnapshot(pids: Record<string, number>) {
  return Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, { pid: p, at: cpuSeconds(p) }]));
}
function cpuSince(before: ReturnType<typeof cpuSnapshot>) {
  return Object.fromEntries(Object.entries(before).map(([k, v]) => [k, Math.round((cpuSeconds(v.pid) - v.at) * 10) / 10]));
}

async function main(): Promise<void> {
  useNativeKeccak();
  const args = parseArgs(process.argv.slice(2), { values: ["json", "requests", "clients", "dossier-kib", "upload-mib", "upload-repeat"], switches: [] });
  const total = Number(args.requests ?? 2000);
  const clients = Number(args.clients ?? 16);
  const dossierBytes = Number(args["dossier-kib"] ?? 10) * 1024;
  const uploadMiB = Number(args["upload-mib"] ?? 1024);
  const uploadRepeat = Number(args["upload-repeat"] ?? 3);

  const node = await startHardhatNode();
  const dir = mkdtempSync(join(tmpdir(), "mlat-bench-gw-"));
  const gateways: GatewayProcess[] = [];
  try {
    const ports = { US: await freePort(), MX: await freePort() };
    const urls = { US: `http://127.0.0.1:${ports.US}`, MX: `http://127.0.0.1:${ports.MX}` };
    const consortium = await foundLocalConsortium({ rpcUrl: node.url, dir, codes: ["US", "MX"], gatewayUrls: urls });
    const configOf = (code: "US" | "MX") => ({
      state: code,
      rpcUrl: node.url,
      deploymentFile: consortium.deploymentFile,
      relayerKey: consortium.states[code]!.gateway.privateKey,
      identityFile: consortium.states[code]!.identityFile,
      storeUrl: `sqlite:${join(dir, code, "gateway.sqlite")}`,
      blobDir: join(dir, code, "blobs"),
      port: ports[code],
      confirmations: 0,
      pollIntervalMs: 100,
      logLevel: "warn" as const,
      rateLimitPerMinute: 0,
      relayBatchSize: 100,
    });
    progress("starting the US and MX gateways …");
    const profile = process.env.MLAT_BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.MLAT_BENCH_CPU_PROF}`] : [];
    progress("compiling the gateway (npm run build:gateway) …");
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
    const run = { nodeArgs: profile, compiled: true };
    gateways.push(await startGatewayProcess(configOf("US"), run), await startGatewayProcess(configOf("MX"), run));

    const cpuBefore = cpuSnapshot({ node: node.pid, US: gateways[0]!.child.pid!, MX: gateways[1]!.child.pid!, bench: process.pid });
    const requests = await benchRequests(node.url, consortium, urls.US, total, clients, dossierBytes);
    progress(`CPU seconds during the request run: ${JSON.stringify(cpuSince(cpuBefore))}`);
    progress(`requests: ${requests.anchoredPerSec} anchored/s, HTTP p50 ${requests.p50Ms} ms, p99 ${requests.p99Ms} ms`);
    const upload = uploadMiB > 0 ? await benchUpload(node.url, consortium, urls, gateways[1]!, uploadMiB, dir, uploadRepeat) : undefined;
    if (upload) progress(`upload: ${upload.mbPerSec} MB/s (best of ${upload.runsMbPerSec.join(", ")}), gateway peak RSS ${upload.peakRssMiB} MiB`);
    const result = { requests, upload: upload ?? null, machine: { node: process.version } };
    if (typeof args.json === "string") writeFileSync(args.json, JSON.stringify(result, null, 2) + "\n");
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const g of gateways) await g.stop().catch(() => undefined);
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `clients` central-authority accounts of the US, added on-chain by its founding authority. */
async function extraAuthorities(rpcUrl: string, consortium: LocalConsortium, n: number): Promise<Wallet[]> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  // A local nonce: ethers caches eth_getTransactionCount for a moment, so back-to-back sends would collide.
  const authority = new NonceManager(consortium.states.US!.authority.connect(provider));
  const ledger = connectLedger(consortium.deployment.contracts, authority);
  const wallets = Array.from({ length: n }, () => Wallet.createRandom() as unknown as Wallet);
  // One at a time: an automining node refuses a nonce that arrives before its predecessor.
  for (const w of wallets) await (await ledger.consortium.setAccountRoles(w.address, Role.CENTRAL_AUTHORITY)).wait();
  return wallets;
}

async function benchRequests(rpcUrl: string, consortium: LocalConsortium, url: string, total: number, clients: number, dossierBytes: number) {
  const wallets = await extraAuthorities(rpcUrl, consortium, clients);
  const sessions: GatewaySession[] = await Promise.all(wallets.map((w) => connectGateway(url, w)));
  const dossier = benchDossier(consortium, dossierBytes);
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  const ledger = connectLedger(consortium.deployment.contracts, provider);
  const fromBlock = await provider.getBlockNumber();
  const latencies: number[] = [];
  const timed = async <T>(f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const v = await f();
    latencies.push(performance.now() - t);
    return v;
  };
  let issued = 0;
  const started = performance.now();
  progress(`creating ${total} requests with ${clients} clients (dossier ${dossierBytes} bytes) …`);
  await Promise.all(
    sessions.map(async (s) => {
      while (issued < total) {
        issued++;
        const w = await timed(() => s.call<{ intent: Intent }>("POST", "/v1/requests", { dossier }));
        await timed(() => s.sign(w.intent, "none"));
      }
    }),
  );
  const accepted = performance.now();
  // Counted incrementally from the last block seen (re-reading every log each time would make the
  // benchmark's own polling grow with the run).
  let anchored = 0;
  let last = accepted;
  let seenBlock = fromBlock;
  while (anchored < total) {
    const head = await provider.getBlockNumber();
    if (head > seenBlock) {
      const logs = await ledger.requests.queryFilter(ledger.requests.filters.RequestSubmitted(), seenBlock + 1, head);
      if (logs.length > 0) last = performance.now();
      anchored += logs.length;
      seenBlock = head;
    }
    if (anchored < total) await new Promise((r) => setTimeout(r, 100));
  }
  provider.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    total,
    clients,
    dossierBytes,
    acceptedPerSec: Math.round(total / ((accepted - started) / 1000)),
    anchoredPerSec: Math.round(total / ((last - started) / 1000)),
    p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
    p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
  };
}

main().catch((e: unknown) => {
  progress(`bench:gateway failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
