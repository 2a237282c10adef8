/**
 * Vitest setup file of vitest.coverage.config.mts, inert unless MLAT_COVERAGE=1. In each worker
 * process it attaches solidity-coverage's hit collector to Hardhat's in-process network once, checks
 * that the worker really runs the instrumented build, and after every test file rewrites this
 * process's cumulative hits to coverage/hits/<pid>-<uuid>.json (merged by scripts/coverage/merge.cjs).
 */
import { afterAll, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// vitest's module runner provides a CommonJS `require` relative to this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cfg = require("./config.cjs") as Record<string, string>;

interface Probe {
  hits: number;
}
interface Collector {
  api: {
    setInstrumentationData(d: unknown): void;
    attachToHardhatVM(provider: unknown): Promise<void>;
    instrumenter: { instrumentationData: Record<string, Probe> };
  };
  file: string;
  attached: WeakSet<object>;
}

const KEY = Symbol.for("mlat-ledger.coverage.collector");
const store = globalThis as unknown as Record<symbol, Collector | undefined>;

/** One collector per process: test files that share a process add to the same hit map. */
function collector(): Collector {
  let c = store[KEY];
  if (!c) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const API = require("solidity-coverage/api");
    const api = new API({ silent: true });
    const { instrumentationData } = JSON.parse(readFileSync(cfg.INSTRUMENTATION!, "utf8"));
    api.setInstrumentationData(instrumentationData);
    c = { api, file: join(cfg.HITS!, `${process.pid}-${randomUUID()}.json`), attached: new WeakSet() };
    store[KEY] = c;
  }
  return c;
}

/** Fails the file loudly if Hardhat or the typechain factories are not the instrumented build. */
async function assertInstrumentedBuild(hre: typeof import("hardhat")): Promise<void> {
  if (hre.config.paths.artifacts !== cfg.ARTIFACTS) {
    throw new Error(`coverage: Hardhat uses ${hre.config.paths.artifacts}; set HARDHAT_CONFIG=${cfg.HARDHAT_CONFIG}`);
  }
  // Resolved through vitest.coverage.config.mts's redirect, like the tests' own imports.
  const { MlatForwarder__factory } = await import("../../typechain-types");
  const artifact = await hre.artifacts.readArtifact("MlatForwarder");
  if (MlatForwarder__factory.bytecode !== artifact.bytecode) {
    throw new Error("coverage: typechain-types is not redirected to coverage/typechain-types");
  }
}

if (process.env[cfg.FLAG!] === "1") {
  beforeAll(async () => {
    const c = collector();
    const hre = (await import("hardhat")).default;
    await assertInstrumentedBuild(hre);
    const provider = hre.network.provider as unknown as object;
    if (!c.attached.has(provider)) {
      await c.api.attachToHardhatVM(provider);
      c.attached.add(provider);
    }
  });

  afterAll(() => {
    const c = store[KEY];
    if (!c) return;
    const hits: Record<string, number> = {};
    for (const [hash, probe] of Object.entries(c.api.instrumenter.instrumentationData)) if (probe.hits) hits[hash] = probe.hits;
    writeFileSync(c.file + ".tmp", JSON.stringify(hits));
    renameSync(c.file + ".tmp", c.file);
  });
}
