#!/usr/bin/env node
/**
 * `solc` facade for forge over solc-js (the repo's pinned npm `solc`), so forge builds offline.
 *
 * foundry.toml points `solc` at this file. forge calls it exactly two ways:
 *
 *   solc.mjs --version
 *       → "solc, the solidity compiler commandline interface\nVersion: 0.8.30+commit.73712a01.Linux.g++"
 *         (native solc's text; forge parses the semver + commit from it)
 *   solc.mjs --allow-paths <a,b> --base-path <root> [--include-path <p>]... --standard-json   (input on stdin)
 *       → the standard-JSON output on stdout, exit 0 — also when the input has compile errors, as native solc.
 *
 * Everything else native solc accepts is tolerated: unknown flags are ignored, positional `prefix=target`
 * arguments are remappings. forge normally sends every source's `content`, so the import callback is only a
 * fallback; it resolves like native solc: the path as given, then under the base path and each include path,
 * after applying remappings, and reads only inside the base path, include paths and allow-paths.
 *
 * MLAT_SOLC_FACADE_LOG=<file> appends each invocation (cwd, argv, input size, output summary) to <file>.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LOG_FILE = process.env.MLAT_SOLC_FACADE_LOG;

function log(line) {
  if (!LOG_FILE) return;
  try {
    fs.appendFileSync(LOG_FILE, `[${new Date().toISOString()} pid ${process.pid}] ${line}\n`);
  } catch {
    // logging must never break a compile
  }
}

/** Flags native solc takes with a value (so the value is not mistaken for an input file or remapping). */
const VALUE_FLAGS = new Set([
  "--base-path",
  "--include-path",
  "--allow-paths",
  "--evm-version",
  "--optimize-runs",
  "--libraries",
  "--output-dir",
  "-o",
  "--combined-json",
  "--revert-strings",
  "--debug-info",
  "--model-checker-contracts",
  "--model-checker-engine",
  "--model-checker-targets",
  "--model-checker-timeout",
  "--model-checker-solvers",
  "--model-checker-invariants",
  "--model-checker-ext-calls",
  "--model-checker-bmc-loop-iterations",
  "--model-checker-div-mod-no-slacks",
  "--model-checker-print-query",
  "--model-checker-show-proved-safe",
  "--model-checker-show-unproved",
  "--model-checker-show-unsupported",
  "--yul-optimizations",
  "--stop-after",
  "--error-codes",
  "--eof-version",
]);

export function parseArgs(argv) {
  const opts = {
    version: false,
    help: false,
    license: false,
    standardJson: false,
    basePath: undefined,
    includePaths: [],
    allowPaths: [],
    remappings: [],
    inputs: [],
    ignored: [],
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const takeValue = () => (value !== undefined ? value : argv[++i]);
    switch (arg) {
      case "--version":
        opts.version = true;
        break;
      case "--help":
      case "-h":
        opts.help = true;
        break;
      case "--license":
        opts.license = true;
        break;
      case "--standard-json":
        opts.standardJson = true;
        break;
      case "--base-path":
        opts.basePath = takeValue();
        break;
      case "--include-path":
        opts.includePaths.push(takeValue());
        break;
      case "--allow-paths":
        opts.allowPaths.push(...String(takeValue() ?? "").split(",").filter(Boolean));
        break;
      default:
        if (arg.startsWith("-")) {
          if (VALUE_FLAGS.has(arg)) takeValue();
          opts.ignored.push(argv[i]);
        } else if (arg.includes("=")) {
          opts.remappings.push(arg);
        } else {
          opts.inputs.push(arg);
        }
    }
  }
  return opts;
}

function loadSolc() {
  const require = createRequire(path.join(HERE, "noop.js"));
  return require("solc");
}

/** "0.8.30+commit.73712a01.Emscripten.clang" → "0.8.30+commit.73712a01.Linux.g++" (what native solc prints). */
export function nativeLongVersion(jsVersion) {
  return jsVersion.replace(/\.Emscripten\.clang$/, "") + ".Linux.g++";
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function errorOutput(type, message) {
  return JSON.stringify({
    errors: [{ component: "general", formattedMessage: `${type}: ${message}\n`, message, severity: "error", type }],
  });
}

function isInside(file, dir) {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Applies the longest-prefix remapping (`[context:]prefix=target`; contexts are ignored here). */
function remap(importPath, remappings) {
  let best;
  for (const r of remappings) {
    const eq = r.indexOf("=");
    if (eq < 0) continue;
    let prefix = r.slice(0, eq);
    const colon = prefix.indexOf(":");
    if (colon >= 0) prefix = prefix.slice(colon + 1);
    if (prefix && importPath.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) {
      best = { prefix, target: r.slice(eq + 1) };
    }
  }
  return best ? best.target + importPath.slice(best.prefix.length) : importPath;
}

export function makeImportCallback(opts, settingsRemappings, cwd = process.cwd()) {
  const basePath = path.resolve(cwd, opts.basePath ?? ".");
  const searchRoots = [basePath, ...opts.includePaths.map((p) => path.resolve(cwd, p))];
  const allowedRoots = [...searchRoots, ...opts.allowPaths.map((p) => path.resolve(cwd, p))];
  const remappings = [...opts.remappings, ...(settingsRemappings ?? [])];

  return function findImports(sourceUnitName) {
    const names = [sourceUnitName];
    const remapped = remap(sourceUnitName, remappings);
    if (remapped !== sourceUnitName) names.push(remapped);
    const candidates = [];
    for (const name of names) {
      if (path.isAbsolute(name)) candidates.push(path.normalize(name));
      else for (const root of searchRoots) candidates.push(path.join(root, name));
    }
    const tried = [];
    let outside = false;
    for (const file of [...new Set(candidates)]) {
      tried.push(file);
      let real;
      try {
        if (!fs.statSync(file).isFile()) continue;
        real = fs.realpathSync(file);
      } catch {
        continue;
      }
      if (!allowedRoots.some((root) => isInside(file, root) || isInside(real, root))) {
        outside = true;
        continue;
      }
      log(`import ${sourceUnitName} -> ${file}`);
      return { contents: fs.readFileSync(file, "utf8") };
    }
    const error = outside
      ? `File outside of allowed directories. The following are allowed: ${allowedRoots.map((r) => `"${r}"`).join(", ")}.`
      : `File not found. Searched the following locations: ${tried.map((t) => `"${t}"`).join(", ")}.`;
    log(`import ${sourceUnitName} failed: ${error}`);
    return { error };
  };
}

async function main() {
  const argv = process.argv.slice(2);
  log(`cwd=${process.cwd()} argv=${JSON.stringify(argv)}`);
  const opts = parseArgs(argv);

  if (opts.help) {
    process.stdout.write(
      "solc facade over solc-js (scripts/forge/solc.mjs). Supported: --version, --license, --standard-json " +
        "[--base-path P] [--include-path P]... [--allow-paths P,...] [prefix=target]... < input.json\n",
    );
    return 0;
  }

  if (!opts.version && !opts.license && !opts.standardJson) {
    const msg =
      "solc facade: only --standard-json compilation is supported (input on stdin); " +
      `got ${JSON.stringify(argv)}`;
    process.stderr.write(msg + "\n");
    return 1;
  }

  let solc;
  try {
    solc = loadSolc();
  } catch (e) {
    const msg = `solc facade: cannot load the npm package "solc" from ${HERE} (run npm ci): ${e?.message ?? e}`;
    process.stderr.write(msg + "\n");
    if (opts.standardJson) process.stdout.write(errorOutput("InternalCompilerError", msg) + "\n");
    return 1;
  }

  if (opts.version) {
    const out = `solc, the solidity compiler commandline interface\nVersion: ${nativeLongVersion(solc.version())}\n`;
    process.stdout.write(out);
    return 0;
  }
  if (opts.license) {
    process.stdout.write(solc.license() + "\n");
    return 0;
  }
  if (opts.ignored.length) log(`ignored flags: ${opts.ignored.join(" ")}`);

  let input;
  try {
    // `--standard-json file.json` reads the file, as native solc; a positional that is no file is most likely the
    // value of an unknown flag, so it is ignored and the input comes from stdin.
    const file = opts.inputs.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    input = file ? fs.readFileSync(file, "utf8") : await readStdin();
  } catch (e) {
    process.stdout.write(errorOutput("IOError", `cannot read the standard-JSON input: ${e?.message ?? e}`) + "\n");
    return 0;
  }

  let settingsRemappings = [];
  try {
    settingsRemappings = JSON.parse(input)?.settings?.remappings ?? [];
  } catch {
    // invalid JSON: solc-js reports it as native solc does (a JSONError in the output)
  }

  const started = Date.now();
  let output;
  try {
    output = solc.compile(input, { import: makeImportCallback(opts, settingsRemappings) });
  } catch (e) {
    output = errorOutput("InternalCompilerError", `solc-js threw: ${e?.stack ?? e?.message ?? e}`);
  }
  log(`input ${input.length} B, output ${output.length} B, ${Date.now() - started} ms`);
  process.stdout.write(output.endsWith("\n") ? output : output + "\n");
  return 0;
}

const isMain = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`solc facade: ${e?.stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
