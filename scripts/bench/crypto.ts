/**
 * Envelope crypto benchmark: MB/s (10^6 bytes of plaintext per second) and peak RSS of
 *
 *   - our age implementation, file to file (`encryptFile` / `decryptFile`), through Node streams
 *     (`encrypt` / `decrypt`, i.e. pipeCore) and through the Transform API (`createEncryptStream` /
 *     `createDecryptStream` in `pipeline`), on 1 GiB; with the speed ratios ours / age of the same run;
 *   - the `age` CLI (Go) on the same files;
 *   - the one-pass `sealPayload` (SHA-256 of the plaintext, encryption, SHA-256 of the ciphertext);
 *   - the `age-encryption` npm package (typage) on 64 MiB, in memory (its API takes whole buffers);
 *   - `openssl speed` for ChaCha20-Poly1305 and SHA-256, the machine's single-core limits.
 *
 * Every operation runs in its own child process; ours run compiled to JavaScript (as the SDK ships),
 * so their RSS carries no TypeScript compiler. Wall time is taken from spawn to exit for ours and for
 * `age` alike (process start included); each 1 GiB figure is the best of `--repeat` runs, ours and
 * `age` interleaved, each run in a rotated order (a step right after a 1 GiB write was measured paying
 * for it), since the machine may be shared. Peak RSS of `age` and `openssl` needs
 * /usr/bin/time (reported as null without it).
 *
 * Every writer, `age` included, writes a fresh file (the previous one is removed first); the plaintext
 * is written once at the start, so it is in the page cache for every reader alike.
 *
 *   npx ts-node --transpile-only scripts/bench/crypto.ts [--json out.json] [--size-mib 1024] [--repeat 3]
 *
 * The JSON has `results` (name, MB/s, peak RSS) and `ratios` (ours / age CLI: >= 1 is at least as fast).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { formatIdentity, formatIdentityFile, formatRecipient, generateIdentity } from "../../sdk/src/crypto/keys";
import { parseArgs } from "../lib/args";

interface Result {
  name: string;
  mbPerSec: number;
  peakRssMiB: number | null;
}

const ROOT = join(__dirname, "..", "..");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const progress = (s: string) => process.stderr.write(`${s}\n`);
const mb = (bytes: number, seconds: number) => Math.round(bytes / 1e6 / seconds);

/** Transpiles the crypto layer and the child script to CommonJS in `outDir`; returns the child's path. */
function buildChild(outDir: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
    });
  const files = [
    ...walk(join(ROOT, "sdk/src/crypto")),
    ...walk(join(ROOT, "sdk/src/errors")),
    join(ROOT, "sdk/src/verify/fileFacts.ts"),
    join(ROOT, "scripts/bench/cryptoChild.ts"),
  ];
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const out = join(outDir, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  return join(outDir, "scripts/bench/cryptoChild.js");
}

/**
 * Runs a command (under /usr/bin/time when present); returns wall seconds, peak RSS and stdout. Dirty
 * pages of earlier runs are flushed first (`sync`), so that no run pays for another's write-back.
 */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ seconds: number; rssKiB: number | null; stdout: string }> {
  spawnSync("sync");
  return new Promise((resolve, reject) => {
    const argv = TIME ? ["-f", "MLAT_TIME %M", cmd, ...args] : args;
    const start = process.hrtime.bigint();
    const child = spawn(TIME ?? cmd, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}: ${stderr}`));
      const rss = /MLAT_TIME (\d+)/.exec(stderr);
      resolve({ seconds, rssKiB: rss ? Number(rss[1]) : null, stdout });
    });
  });
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function openssl(algorithm: string, seconds: number): number | null {
  const r = spawnSync("openssl", ["speed", "-elapsed", "-seconds", String(seconds), "-bytes", "65536", "-evp", algorithm], { encoding: "utf8" });
  if (r.status !== 0) return null;
  // Last line: "<name>  <thousands of bytes per second>k"
  const m = /([\d.]+)k\s*$/.exec(r.stdout.trim());
  return m ? Math.round(Number(m[1]) / 1000) : null;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ["json", "size-mib", "repeat"] });
  const sizeMiB = Number(args["size-mib"] ?? 1024);
  const repeat = Number(args.repeat ?? 3);
  const size = sizeMiB * 1024 * 1024;
  const typageSize = Math.min(size, 64 * 1024 * 1024);

  const dir = mkdtempSync(join(tmpdir(), "mlat-bench-crypto-"));
  const results: Result[] = [];
  let ratios: Record<string, number | null> = {};
  const record = (name: string, mbPerSec: number, rssKiB: number | null) => {
    results.push({ name, mbPerSec, peakRssMiB: rssKiB === null ? null : Math.round(rssKiB / 1024) });
    progress(`  → ${name}: ${mbPerSec} MB/s, peak RSS ${rssKiB === null ? "n/a" : `${Math.round(rssKiB / 1024)} MiB`}`);
  };
  try {
    progress(`crypto benchmark in ${dir} (${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version})`);
    const age = spawnSync("age", ["--version"], { encoding: "utf8" });
    if (age.status !== 0) throw new Error("the age CLI is not on PATH (apt-get install -y age)");
    progress(`age CLI ${age.stdout.trim()}${TIME ? "" : "; /usr/bin/time missing: no RSS for age/openssl"}`);

    const child = buildChild(join(dir, "js"));
    const env = { ...process.env, NODE_PATH: join(ROOT, "node_modules") };
    const identity = generateIdentity();
    const keyFile = join(dir, "key.txt");
    writeFileSync(keyFile, formatIdentityFile(identity), { mode: 0o600 });
    const recipient = formatRecipient(identity.recipient);

    progress(`writing ${sizeMiB} MiB of random plaintext`);
    const plain = join(dir, "plain.bin");
    {
      const block = 16 * 1024 * 1024;
      writeFileSync(plain, Buffer.alloc(0));
      for (let off = 0; off < size; off += block) writeFileSync(plain, randomBytes(Math.min(block, size - off)), { flag: "a" });
    }
    const plainSha = await sha256File(plain);

    const ours = async (operation: string, input: string, output: string) => {
      const r = await measure(process.execPath, [child, operation, input, output, keyFile], env);
      const inside = JSON.parse(r.stdout.trim()) as { seconds: number; maxRssKiB: number };
      return { seconds: r.seconds, rssKiB: inside.maxRssKiB, inside: inside.seconds };
    };
    const best = new Map<string, { seconds: number; rssKiB: number | null }>();
    // Best time over the runs; the highest peak RSS of any run.
    const keep = (name: string, r: { seconds: number; rssKiB: number | null }) => {
      progress(`    ${mb(size, r.seconds)} MB/s`);
      const b = best.get(name);
      best.set(name, {
        seconds: Math.min(b?.seconds ?? Infinity, r.seconds),
        rssKiB: r.rssKiB === null ? (b?.rssKiB ?? null) : Math.max(b?.rssKiB ?? 0, r.rssKiB),
      });
    };
    const verify = async (path: string, what: string) => {
      if ((await sha256File(path)) !== plainSha) throw new Error(`${what}: the decrypted file differs from the plaintext`);
      rmSync(path);
    };

    const ageFile = join(dir, "age.age");
    const ourFile = join(dir, "ours.age");
    progress("age -e once, untimed: the age file every decryption below reads");
    await measure("age", ["-e", "-r", recipient, "-o", ageFile, plain]);
    /** Writes `path` afresh: the previous output is removed first, as for every writer. */
    const fresh = (path: string) => {
      rmSync(path, { force: true });
      return path;
    };
    /** Checks a decryption's output on the first run; removes it. */
    const checked = async (run: number, path: string, what: string) => {
      if (run === 1) await verify(path, what);
      else rmSync(path);
    };
    // Each run takes the steps in another order (rotated), so that no step always follows the same one
    // (a step right after a 1 GiB write can pay for the machine's write-back).
    const steps: { label: string; step: (run: number) => Promise<void> }[] = [
      { label: "age -e", step: async () => keep("age CLI encrypt", await measure("age", ["-e", "-r", recipient, "-o", fresh(join(dir, "age-e.age")), plain])) },
      { label: "ours encryptFile", step: async (run) => {
        keep("ours encryptFile", await ours("encrypt-file", plain, fresh(ourFile)));
        if (run === 1) {
          progress("  checking that age -d opens our file");
          await measure("age", ["-d", "-i", keyFile, "-o", join(dir, "check.out"), ourFile]);
          await verify(join(dir, "check.out"), "age -d of ours");
        }
      } },
      { label: "age -d (of the age CLI's file)", step: async (run) => {
        keep("age CLI decrypt", await measure("age", ["-d", "-i", keyFile, "-o", fresh(join(dir, "age.out")), ageFile]));
        await checked(run, join(dir, "age.out"), "age -d");
      } },
      { label: "ours decryptFile (of the age CLI's file)", step: async (run) => {
        keep("ours decryptFile", await ours("decrypt-file", ageFile, fresh(join(dir, "ours.out"))));
        await checked(run, join(dir, "ours.out"), "decryptFile");
      } },
      { label: "ours encrypt() through Node streams", step: async () => keep("ours encrypt stream", await ours("encrypt-stream", plain, fresh(ourFile))) },
      { label: "ours decrypt() through Node streams (of the age CLI's file)", step: async (run) => {
        keep("ours decrypt stream", await ours("decrypt-stream", ageFile, fresh(join(dir, "stream.out"))));
        await checked(run, join(dir, "stream.out"), "decrypt stream");
      } },
      { label: "ours createEncryptStream (Transform, pipeline)", step: async () => keep("ours encrypt Transform", await ours("encrypt-transform", plain, fresh(ourFile))) },
      { label: "ours createDecryptStream (Transform, pipeline)", step: async (run) => {
        keep("ours decrypt Transform", await ours("decrypt-transform", ageFile, fresh(join(dir, "transform.out"))));
        await checked(run, join(dir, "transform.out"), "decrypt Transform");
      } },
    ];
    for (let run = 1; run <= repeat; run++) {
      const offset = ((run - 1) * 3) % steps.length;
      for (const { label, step } of [...steps.slice(offset), ...steps.slice(0, offset)]) {
        progress(`[run ${run}/${repeat}] ${label}`);
        await step(run);
      }
    }
    rmSync(ourFile, { force: true });
    const ratio = (ours: string, age: string) => {
      const o = best.get(ours);
      const a = best.get(age);
      return o && a ? Math.round((a.seconds / o.seconds) * 100) / 100 : null;
    };
    ratios = {
      encryptStream: ratio("ours encrypt stream", "age CLI encrypt"),
      decryptStream: ratio("ours decrypt stream", "age CLI decrypt"),
      encryptFile: ratio("ours encryptFile", "age CLI encrypt"),
      decryptFile: ratio("ours decryptFile", "age CLI decrypt"),
      encryptTransform: ratio("ours encrypt Transform", "age CLI encrypt"),
      decryptTransform: ratio("ours decrypt Transform", "age CLI decrypt"),
    };
    for (const [name, r] of best) record(`${name} ${sizeMiB} MiB`, mb(size, r.seconds), r.rssKiB);

    progress("ours decryptFile with fsync (the default: durable before the rename)");
    const df = await ours("decrypt-file-fsync", ageFile, join(dir, "durable.out"));
    record(`ours decryptFile+fsync ${sizeMiB} MiB`, mb(size, df.seconds), df.rssKiB);
    rmSync(join(dir, "durable.out"));

    progress("ours sealPayload (SHA-256 of plaintext + encrypt + SHA-256 of ciphertext, one pass)");
    const seal = await ours("seal-stream", plain, join(dir, "sealed.age"));
    record(`ours sealPayload ${sizeMiB} MiB`, mb(size, seal.seconds), seal.rssKiB);
    rmSync(join(dir, "sealed.age"));

    progress("verification of the plaintext (the verifier's file read: SHA-256, kind, content commitment)");
    const ver = await ours("verify-plaintext", plain, "");
    record(`ours verify plaintext ${sizeMiB} MiB`, mb(size, ver.seconds), ver.rssKiB);
    progress("verification of the age file (payload digest)");
    const verAge = await ours("verify-age", ageFile, "");
    record(`ours verify age file ${sizeMiB} MiB`, mb(size, verAge.seconds), verAge.rssKiB);
    rmSync(ageFile);

    progress(`age-encryption (typage) on ${typageSize / 1024 / 1024} MiB, in memory`);
    const typageScript = join(dir, "typage.mjs");
    writeFileSync(
      typageScript,
      `import { readFileSync, writeFileSync } from "node:fs";
const [mode, url, input, output, key] = process.argv.slice(2);
const age = await import(url);
const data = new Uint8Array(readFileSync(input));
const t = performance.now();
let out;
if (mode === "encrypt") { const e = new age.Encrypter(); e.addRecipient(key); out = await e.encrypt(data); }
else { const d = new age.Decrypter(); d.addIdentity(key); out = await d.decrypt(data, "uint8array"); }
const seconds = (performance.now() - t) / 1000;
writeFileSync(output, out);
console.log(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS }));
`,
    );
    const typageUrl = pathToFileURL(require.resolve("age-encryption", { paths: [ROOT] })).href;
    const small = join(dir, "small.bin");
    writeFileSync(small, readFileSync(plain).subarray(0, typageSize));
    const te = await measure(process.execPath, [typageScript, "encrypt", typageUrl, small, join(dir, "small.age"), recipient]);
    const tej = JSON.parse(te.stdout) as { seconds: number; maxRssKiB: number };
    record(`age-encryption encrypt ${typageSize / 1024 / 1024} MiB (in memory)`, mb(typageSize, tej.seconds), tej.maxRssKiB);
    const td = await measure(process.execPath, [typageScript, "decrypt", typageUrl, join(dir, "small.age"), join(dir, "small.out"), formatIdentity(identity)]);
    const tdj = JSON.parse(td.stdout) as { seconds: number; maxRssKiB: number };
    if (!readFileSync(join(dir, "small.out")).equals(readFileSync(small))) throw new Error("typage round trip differs");
    record(`age-encryption decrypt ${typageSize / 1024 / 1024} MiB (in memory)`, mb(typageSize, tdj.seconds), tdj.maxRssKiB);

    progress("openssl speed -evp chacha20-poly1305 / sha256 (64 KiB blocks, one core)");
    const chacha = openssl("chacha20-poly1305", 3);
    if (chacha !== null) record("openssl chacha20-poly1305 (limit)", chacha, null);
    const sha = openssl("sha256", 3);
    if (sha !== null) record("openssl sha256 (limit)", sha, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`\n${"operation".padEnd(width)}  ${"MB/s".padStart(6)}  ${"peak RSS MiB".padStart(12)}`);
  for (const r of results) {
    console.log(`${r.name.padEnd(width)}  ${String(r.mbPerSec).padStart(6)}  ${(r.peakRssMiB === null ? "—" : String(r.peakRssMiB)).padStart(12)}`);
  }
  console.log(`\nours / age CLI (speed ratio, best of ${repeat}, same run; ≥ 1 is at least as fast):`);
  for (const [name, r] of Object.entries(ratios)) console.log(`  ${name.padEnd(16)} ${r === null ? "—" : r.toFixed(2)}`);
  if (typeof args.json === "string") {
    writeFileSync(args.json, JSON.stringify({ results, ratios, sizeMiB, repeat }, null, 2) + "\n");
    progress(`wrote ${args.json}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
