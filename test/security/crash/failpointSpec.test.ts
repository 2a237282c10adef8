import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { armFailpoints, failpoint, FailpointError, FAILPOINTS, parseFailpoints } from "../../../gateway/src/failpoints";
import { configEnv } from "../../../scripts/lib/gatewayProcess";
import { ensureCompiledGateway } from "./build";

describe("parseFailpoints", () => {
  it("reads name=action[@n] entries, the hit defaulting to the first", () => {
    expect([...parseFailpoints("tx.afterBroadcast=kill@3, blob.afterRename=throw")]).toEqual([
      ["tx.afterBroadcast", { action: "kill", hit: 3 }],
      ["blob.afterRename", { action: "throw", hit: 1 }],
    ]);
  });

  it.each([
    ["no.suchPoint=kill", "names no failpoint"],
    ["tx.afterBroadcast=explode", "is not name=kill|throw[@n]"],
    ["tx.afterBroadcast=kill@0", "is not name=kill|throw[@n]"],
    ["tx.afterBroadcast=kill@x", "is not name=kill|throw[@n]"],
    ["tx.afterBroadcast", "is not name=kill|throw[@n]"],
    ["tx.afterBroadcast=kill,tx.afterBroadcast=throw", "arms a failpoint twice"],
    [" , ", "arms no failpoint"],
  ])("refuses %j with one line naming the entry and every known failpoint", (spec, why) => {
    let error: unknown;
    try {
      parseFailpoints(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "CONFIG_INVALID" });
    expect((error as Error).message).toContain(why);
    for (const name of Object.keys(FAILPOINTS)) expect((error as Error).message).toContain(name);
  });
});

describe("failpoint", () => {
  afterEach(() => armFailpoints({}));

  it("does nothing when MLAT_FAILPOINTS is unset or empty", () => {
    for (const env of [{}, { MLAT_FAILPOINTS: "" }, { MLAT_FAILPOINTS: "  " }]) {
      armFailpoints(env);
      for (const name of Object.keys(FAILPOINTS) as (keyof typeof FAILPOINTS)[]) for (let i = 0; i < 5; i++) failpoint(name);
    }
  });

  it("fires on the armed hit only, and only at the armed point", () => {
    armFailpoints({ MLAT_FAILPOINTS: "intent.afterCommit=throw@2" });
    failpoint("blob.afterRename");
    failpoint("intent.afterCommit");
    expect(() => failpoint("intent.afterCommit")).toThrow(FailpointError);
    failpoint("intent.afterCommit");
  });
});

describe("the gateway process", () => {
  it("refuses to start on a bad MLAT_FAILPOINTS, exit code 2 and one line", () => {
    ensureCompiledGateway();
    // A configuration that validates (nothing is opened before the failpoints are checked).
    const env = configEnv({
      state: "MX",
      rpcUrl: "http://127.0.0.1:9",
      deploymentFile: "none.json",
      relayerKey: "0x" + "11".repeat(32),
      identityFile: "none.key",
      storeUrl: "sqlite::memory:",
      blobDir: "/nonexistent",
    });
    const root = join(__dirname, "..", "..", "..");
    const run = spawnSync(process.execPath, ["dist/gateway/src/main.js"], { cwd: root, env: { ...process.env, ...env, MLAT_FAILPOINTS: "tx.afterBroadcast=kill@-1" }, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^mlat-gateway: MLAT_FAILPOINTS: "tx\.afterBroadcast=kill@-1" is not name=kill\|throw\[@n\]/)]);
  });
});
