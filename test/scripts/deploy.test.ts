import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { startHardhatNode, type HardhatNode } from "../../scripts/lib/hardhatNode";
import { parseDeployment } from "../../sdk/src/ledger/deployment";
import { Consortium__factory } from "../../typechain-types";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function deploy(rpc: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["ts-node", "--transpile-only", "scripts/deploy.ts", "--network", "localhost", ...args],
      { env: { ...process.env, MLAT_LOCAL_RPC: rpc }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("scripts/deploy.ts", () => {
  let node: HardhatNode;
  const out = mkdtempSync(join(tmpdir(), "mlat-deploy-"));
  const record = () => parseDeployment(JSON.parse(readFileSync(join(out, "localhost.json"), "utf8")));

  beforeAll(async () => {
    node = await startHardhatNode();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("deploys the suite, founds the consortium and writes a valid deployment record", async () => {
    const run = await deploy(node.url, ["--out", out]);
    expect(run.code, run.stderr).toBe(0);
    const d = record();
    expect(d.chainId).toBe(31337);
    expect(d.network).toBe("localhost");
    const provider = new JsonRpcProvider(node.url);
    const consortium = Consortium__factory.connect(d.contracts.consortium, provider);
    expect(await consortium.activeStateCount()).toBe(3n);
    expect((await consortium.stateCodes()).length).toBe(3);
    for (const address of Object.values(d.contracts)) expect(await provider.getCode(address)).not.toBe("0x");
    provider.destroy();
  });

  it("changes nothing when run again on a network with a live deployment", async () => {
    const before = readFileSync(join(out, "localhost.json"), "utf8");
    const run = await deploy(node.url, ["--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/nothing changed/);
    expect(readFileSync(join(out, "localhost.json"), "utf8")).toBe(before);
  });

  it("deploys anew with --force", async () => {
    const before = record();
    const run = await deploy(node.url, ["--out", out, "--force"]);
    expect(run.code, run.stderr).toBe(0);
    expect(record().contracts.consortium).not.toBe(before.contracts.consortium);
  });

  it("refuses a bad founding file with a clear line and exit code 2", async () => {
    const bad = join(out, "bad.json");
    writeFileSync(bad, JSON.stringify({ thresholdBps: 0, states: [] }));
    const run = await deploy(node.url, ["--out", join(out, "other"), "--founding", bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.json/);
    expect(run.stderr).toMatch(/thresholdBps/);
  });

  it("refuses an unknown option with usage and exit code 2", async () => {
    const run = await deploy(node.url, ["--bogus"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option --bogus/);
  });
});
