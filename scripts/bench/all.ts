/**
 * Every benchmark in one run — `bench:gas`, `bench:crypto`, `bench:gateway` — each as its own process,
 * then one summary table with each figure next to its anchor (EAS attest, the `age` CLI, the machine's
 * openssl limits, the issue's goals) and the whole as JSON.
 *
 *   npm run bench -- [--json bench.json] [--quick]      (--quick: 256 MiB crypto, 500 requests, 256 MiB upload)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "../lib/args";

interface Row {
  area: string;
  figure: string;
  value: string;
  anchor: string;
}

const progress = (s: string) => process.stderr.write(`${s}\n`);

/** Runs `npm run <script> -- …args --json <file>` and parses the file. */
function run<T>(script: string, args: string[], dir: string): T {
  const file = join(dir, `${script.replace(":", "-")}.json`);
  progress(`== npm run ${script} ${args.join(" ")}`);
  execFileSync("npm", ["run", "--silent", script, "--", ...args, "--json", file], { stdio: ["ignore", "ignore", "inherit"] });
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

type Gas = { operations: { name: string; gas: number; minimum: number }[]; eas: { attest: number; attestOneField: number } };
type Crypto = { results: { name: string; mbPerSec: number; peakRssMiB: number | null }[] };
type Gateway = {
  requests: { anchoredPerSec: number; p50Ms: number; p99Ms: number };
  upload: { mbPerSec: number; peakRssMiB: number } | null;
};

/** The summary rows: every figure with what it is measured against. */
export function summaryRows(gas: Gas, crypto: Crypto, gateway: Gateway): Row[] {
  const rows: Row[] = [];
  for (const o of gas.operations) {
    rows.push({ area: "gas", figure: o.name, value: o.gas.toLocaleString("en"), anchor: `floor ${o.minimum.toLocaleString("en")} (${(o.gas / o.minimum).toFixed(2)}×)` });
  }
  const submit = gas.operations.find((o) => /submit/i.test(o.name));
  if (submit) rows.push({ area: "gas", figure: "submit vs EAS attest (same fields)", value: submit.gas.toLocaleString("en"), anchor: `EAS ${gas.eas.attest.toLocaleString("en")} (${(submit.gas / gas.eas.attest).toFixed(2)}×)` });
  const byName = new Map(crypto.results.map((r) => [r.name, r]));
  const find = (re: RegExp) => [...byName.values()].find((x) => re.test(x.name));
  for (const r of crypto.results) {
    const against = /decrypt/i.test(r.name) ? find(/age CLI.*decrypt/i) : /encrypt|seal/i.test(r.name) ? find(/age CLI.*encrypt/i) : find(/openssl sha256/i);
    const anchor = /age CLI|openssl/i.test(r.name) ? "anchor" : against ? `${against.name.replace(/ \d+ MiB$/, "")} ${against.mbPerSec} MB/s (${(r.mbPerSec / against.mbPerSec).toFixed(2)}×)` : "";
    rows.push({ area: "crypto", figure: r.name, value: `${r.mbPerSec} MB/s${r.peakRssMiB !== null ? `, ${r.peakRssMiB} MiB` : ""}`, anchor });
  }
  rows.push({ area: "gateway", figure: "requests anchored / s (10 KB dossier, 16 clients)", value: String(gateway.requests.anchoredPerSec), anchor: "goal ≥ 200" });
  rows.push({ area: "gateway", figure: "HTTP answer p50 / p99", value: `${gateway.requests.p50Ms} / ${gateway.requests.p99Ms} ms`, anchor: "goal p99 < 250 ms" });
  if (gateway.upload) {
    rows.push({ area: "gateway", figure: `evidence upload ${(gateway.upload as { sizeMiB?: number }).sizeMiB ?? 1024} MiB`, value: `${gateway.upload.mbPerSec} MB/s, ${gateway.upload.peakRssMiB} MiB`, anchor: "goal ≥ 300 MB/s, < 300 MiB" });
  }
  return rows;
}

function table(rows: Row[]): string {
  const cols: (keyof Row)[] = ["area", "figure", "value", "anchor"];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join("  ");
  return [line(cols), line(width.map((w) => "-".repeat(w))), ...rows.map((r) => line(cols.map((c) => r[c])))].join("\n");
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), { values: ["json"], switches: ["quick"] });
  const dir = mkdtempSync(join(tmpdir(), "mlat-bench-"));
  const quick = args.quick === true;
  const gas = run<Gas>("bench:gas", [], dir);
  const crypto = run<Crypto>("bench:crypto", quick ? ["--size-mib", "256", "--repeat", "1"] : [], dir);
  const gateway = run<Gateway>("bench:gateway", quick ? ["--requests", "500", "--upload-mib", "256"] : [], dir);
  const rows = summaryRows(gas, crypto, gateway);
  console.log(table(rows));
  const out = typeof args.json === "string" ? args.json : join(dir, "bench.json");
  writeFileSync(out, JSON.stringify({ summary: rows, gas, crypto, gateway, at: new Date().toISOString() }, null, 2) + "\n");
  progress(`wrote ${out}`);
}

if (require.main === module) main();
