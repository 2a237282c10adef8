import { flipByte } from "../../helpers/flip";
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";

const dir = mkdtempSync(join(tmpdir(), "mlat-cli-"));
const BIN = join(process.cwd(), "bin", "mlat.js");

/** Runs the real `mlat` binary: exit code, stdout, stderr. */
function mlat(args: string[], input?: Buffer | string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
function age(args: string[], input?: Buffer | string) {
  const r = spawnSync("age", args, { input, cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

describe("mlat CLI", () => {
  const key = join(dir, "key.txt");
  const plaintext = Buffer.from("bank records of account 4242\n".repeat(5000));
  writeFileSync(join(dir, "records.txt"), plaintext);

  it("keygen writes an age-keygen style identity file and prints the public key", () => {
    const r = mlat(["keygen", "-o", key]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Public key: age1[0-9a-z]{58}\n$/);
    const text = readFileSync(key, "utf8");
    expect(text).toMatch(/^# created: .*\n# public key: age1.*\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/);
    const again = mlat(["keygen", "-o", key]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/refusing to overwrite/);
    expect(mlat(["keygen"]).stdout.toString()).toMatch(/AGE-SECRET-KEY-1/);
  });

  const recipient = () => /# public key: (age1\S+)/.exec(readFileSync(key, "utf8"))![1]!;

  it("encrypts files and stdin so that the age CLI decrypts them, and decrypts what age encrypted", () => {
    expect(mlat(["encrypt", "-r", recipient(), "-o", "records.age", "records.txt"]).code).toBe(0);
    expect(age(["-d", "-i", key, "records.age"]).stdout.equals(plaintext)).toBe(true);
    const armored = mlat(["encrypt", "-r", recipient(), "-a"], plaintext);
    expect(armored.stdout.toString()).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(age(["-d", "-i", key], armored.stdout).stdout.equals(plaintext)).toBe(true);
    expect(age(["-r", recipient(), "-o", "by-age.age", "records.txt"]).code).toBe(0);
    const d = mlat(["decrypt", "-i", key, "by-age.age"]);
    expect(d.code).toBe(0);
    expect(d.stdout.equals(plaintext)).toBe(true);
    expect(mlat(["decrypt", "-i", key, "-o", "out.txt"], readFileSync(join(dir, "by-age.age"))).code).toBe(0);
    expect(readFileSync(join(dir, "out.txt")).equals(plaintext)).toBe(true);
  });

  it("exits 1 on a tampered file and leaves no output file behind", () => {
    const bytes = readFileSync(join(dir, "records.age"));
    flipByte(bytes, -100);
    writeFileSync(join(dir, "tampered.age"), bytes);
    const r = mlat(["decrypt", "-i", key, "-o", "tampered.txt", "tampered.age"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^mlat: .*authentication/);
    expect(existsSync(join(dir, "tampered.txt"))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".partial"))).toEqual([]);
  });

  it("exits 1 for a file not meant for the key, 2 for usage and input errors, each with one line", () => {
    writeFileSync(join(dir, "other.txt"), mlat(["keygen"]).stdout);
    expect(mlat(["decrypt", "-i", "other.txt", "records.age"]).code).toBe(1);
    const cases: string[][] = [
      [],
      ["bogus"],
      ["encrypt", "records.txt"],
      ["encrypt", "-r", "age1nope", "records.txt"],
      ["decrypt", "records.age"],
      ["decrypt", "-i", "missing.txt", "records.age"],
      ["encrypt", "-r", recipient(), "no-such-file"],
      ["digest"],
      ["digest", "records.txt", "--salt", "12"],
      ["verify", "records.txt"],
      ["encrypt", "--bogus"],
    ];
    for (const args of cases) {
      const r = mlat(args);
      expect(r.code, args.join(" ")).toBe(2);
      if (args.length > 0) expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
    expect(mlat(["decrypt", "-i", key], Buffer.from("not an age file at all")).code).toBe(2);
  });

  it("prints a file's SHA-256 like sha256sum, and its content commitment with a salt", () => {
    const sha = createHash("sha256").update(plaintext).digest("hex");
    expect(mlat(["digest", "records.txt"]).stdout.toString()).toBe(`${sha}  records.txt\n`);
    const salt = "ab".repeat(32);
    const commitment = createHash("sha256")
      .update("mlat-ledger/content/v1")
      .update(Buffer.from(salt, "hex"))
      .update(Buffer.from(sha, "hex"))
      .digest("hex");
    expect(mlat(["digest", "records.txt", "--salt", salt]).stdout.toString()).toContain(`content commitment: 0x${commitment}`);
  });
});
