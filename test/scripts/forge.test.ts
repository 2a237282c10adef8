import { describe, it, expect } from "vitest";
import { execFile } from "node:child_process";
import { accessSync, constants, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const SOLC = join(ROOT, "scripts", "forge", "solc.mjs");
const RUN = join(ROOT, "scripts", "forge", "run.mjs");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], stdin?: string, cwd = ROOT): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      file,
      args,
      { cwd, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? "");
  });
}

interface SolcOutput {
  errors?: { severity: string; type: string; message: string }[];
  contracts?: Record<string, Record<string, unknown>>;
}

const fatal = (out: SolcOutput) => (out.errors ?? []).filter((e) => e.severity === "error");

function input(sources: Record<string, string>, remappings: string[] = []): string {
  return JSON.stringify({
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([k, content]) => [k, { content }])),
    settings: { remappings, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi"] } } },
  });
}

describe("scripts/forge/solc.mjs (forge's solc, over solc-js)", () => {
  it("is executable: forge runs it directly", () => {
    expect(() => accessSync(SOLC, constants.X_OK)).not.toThrow();
  });

  it("answers --version exactly as native solc", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jsVersion = (require("solc") as { version(): string }).version();
    const r = await run(SOLC, ["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "solc, the solidity compiler commandline interface\n" +
        `Version: ${jsVersion.replace(/\.Emscripten\.clang$/, "")}.Linux.g++\n`,
    );
    expect(r.stdout).toMatch(/^Version: 0\.8\.30\+commit\.73712a01\.Linux\.g\+\+$/m);
  });

  it("compiles --standard-json, resolving imports over remappings and include paths, ignoring unknown flags", async () => {
    const src = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
import {AccessControl} from "@oz/access/AccessControl.sol";
contract Gated is AccessControl {}
`;
    const r = await run(
      SOLC,
      ["--no-such-flag", "--base-path", mkdtempSync(join(tmpdir(), "solc-")), "--include-path", ROOT, "--standard-json"],
      input({ "src/Gated.sol": src }, ["@oz/=node_modules/@openzeppelin/contracts/"]),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as SolcOutput;
    expect(fatal(out)).toEqual([]);
    expect(Object.keys(out.contracts?.["src/Gated.sol"] ?? {})).toEqual(["Gated"]);
    expect(Object.keys(out.contracts ?? {})).toContain("node_modules/@openzeppelin/contracts/access/AccessControl.sol");
  });

  it("reports bad input, missing and disallowed imports in the JSON output, exit 0, as solc does", async () => {
    const bad = await run(SOLC, ["--standard-json"], "{ not json");
    expect(bad.code).toBe(0);
    expect(fatal(JSON.parse(bad.stdout))[0]?.type).toBe("JSONError");

    const base = mkdtempSync(join(tmpdir(), "solc-"));
    const missing = await run(
      SOLC,
      ["--base-path", base, "--standard-json"],
      input({ "A.sol": 'pragma solidity ^0.8.0; import "./Nope.sol";' }),
    );
    expect(missing.code).toBe(0);
    expect(fatal(JSON.parse(missing.stdout))[0]?.message).toMatch(/File not found/);

    const outsideDir = mkdtempSync(join(tmpdir(), "solc-outside-"));
    mkdirSync(join(outsideDir, "lib"));
    writeFileSync(join(outsideDir, "lib", "X.sol"), "pragma solidity ^0.8.0; contract X {}");
    const outside = await run(
      SOLC,
      ["--base-path", base, "--standard-json"],
      input({ "A.sol": `pragma solidity ^0.8.0; import "${join(outsideDir, "lib", "X.sol")}";` }),
    );
    expect(fatal(JSON.parse(outside.stdout))[0]?.message).toMatch(/File outside of allowed directories/);

    const allowed = await run(
      SOLC,
      ["--base-path", base, "--allow-paths", outsideDir, "--standard-json"],
      input({ "A.sol": `pragma solidity ^0.8.0; import "${join(outsideDir, "lib", "X.sol")}";` }),
    );
    expect(fatal(JSON.parse(allowed.stdout))).toEqual([]);
  });

  it("fails loudly (exit 1) on a mode it does not support", async () => {
    const r = await run(SOLC, ["--bin", "A.sol"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/only --standard-json/);
  });
});

describe("scripts/forge/run.mjs", () => {
  it("turns --profile into FOUNDRY_PROFILE and runs the npm forge from the repo root", async () => {
    const r = await run("node", [RUN, "config", "--json", "--profile", "deep"], undefined, join(ROOT, "test"));
    expect(r.code).toBe(0);
    const config = JSON.parse(r.stdout) as {
      solc: string;
      evm_version: string;
      optimizer_runs: number;
      invariant: { runs: number; depth: number; fail_on_revert: boolean };
      fuzz: { runs: number };
    };
    expect(config.solc).toBe("scripts/forge/solc.mjs");
    expect(config.evm_version).toBe("cancun");
    expect(config.optimizer_runs).toBe(10_000);
    expect(config.invariant).toMatchObject({ runs: 5000, depth: 500, fail_on_revert: false });
    expect(config.fuzz.runs).toBe(100_000);
  });

  it("rejects --profile without a value", async () => {
    const r = await run("node", [RUN, "test", "--profile"]);
    expect(r.code).toBe(2);
  });
});
