#!/usr/bin/env node
/**
 * Runs the npm-installed forge (@foundry-rs/forge) from the project root with the given arguments.
 *
 *   node scripts/forge/run.mjs test --profile ci      → FOUNDRY_PROFILE=ci forge test
 *   node scripts/forge/run.mjs build                  → forge build (profile: $FOUNDRY_PROFILE or default)
 *
 * `--profile <name>` / `--profile=<name>` is taken out of the arguments (forge has no such flag) and becomes
 * FOUNDRY_PROFILE. Exits with forge's exit code (128 + n when forge dies of signal n); exits 127 with a
 * one-line message when forge is not installed.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(path.join(ROOT, "package.json"));

const ARCH = { x64: "amd64", arm64: "arm64" };

/** The forge binary of @foundry-rs/forge's platform package, or undefined when it is not installed. */
export function findForge() {
  const arch = ARCH[process.arch];
  const exe = process.platform === "win32" ? "forge.exe" : "forge";
  if (arch) {
    try {
      const bin = require.resolve(`@foundry-rs/forge-${process.platform}-${arch}/bin/${exe}`);
      if (fs.existsSync(bin)) return bin;
    } catch {
      // not installed for this platform
    }
  }
  return undefined;
}

export function splitProfile(args) {
  const rest = [];
  let profile;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--profile") {
      profile = args[++i];
      if (!profile) throw new Error("--profile needs a value (e.g. --profile ci)");
    } else if (a.startsWith("--profile=")) {
      profile = a.slice("--profile=".length);
    } else {
      rest.push(a);
    }
  }
  return { profile, rest };
}

function main() {
  let split;
  try {
    split = splitProfile(process.argv.slice(2));
  } catch (e) {
    console.error(`run.mjs: ${e.message}`);
    process.exit(2);
  }
  const forge = findForge();
  if (!forge) {
    console.error(
      `forge is not installed: no @foundry-rs/forge binary for ${process.platform}-${process.arch} ` +
        `under ${path.join(ROOT, "node_modules")} (run \`npm ci\`).`,
    );
    process.exit(127);
  }

  const env = { ...process.env };
  if (split.profile) env.FOUNDRY_PROFILE = split.profile;
  const child = spawn(forge, split.rest, { cwd: ROOT, env, stdio: "inherit" });

  const forward = (signal) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));

  child.on("error", (e) => {
    console.error(`forge could not be started (${forge}): ${e.message}`);
    process.exit(127);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      const n = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 1;
      process.exit(128 + n);
    }
    process.exit(code ?? 1);
  });
}

const isMain = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) main();
