import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptBytes } from "../../../sdk/src/crypto/ageDecrypt";
import { encryptBytes } from "../../../sdk/src/crypto/ageEncrypt";
import { decryptFile, encryptFile } from "../../../sdk/src/crypto/ageFiles";
import { PARALLEL_FILE_FROM } from "../../../sdk/src/crypto/parallelPayload";
import { AGE } from "../../../sdk/src/crypto/formats";
import { formatIdentity, formatIdentityFile, formatRecipient, generateIdentity, parseIdentity, parseIdentityFile } from "../../../sdk/src/crypto/keys";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { requireAgeCli, run } from "./helpers/ageCli";
import { flip, pseudoRandomBytes, thrown } from "./helpers/bytes";

/**
 * Interoperability with the two reference implementations: the `age` CLI (Go), spawned, and the
 * `age-encryption` npm package (typage, ESM, loaded with import()). Both directions, binary and armored.
 */

const K = AGE.chunkSize;
const SIZES = [0, 1, K - 1, K, K + 1, 3 * K, 1_000_003];
let dir: string;

beforeAll(async () => {
  requireAgeCli(); // fails, not skips, when the CLI is missing
  dir = await mkdtemp(join(tmpdir(), "mlat-interop-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keyFile(identities: ReturnType<typeof generateIdentity>[]): Promise<string> {
  const path = join(dir, `key-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(path, identities.map((i) => formatIdentityFile(i)).join("\n"), { mode: 0o600 });
  return path;
}

describe("age CLI", () => {
  it("reports its version", () => {
    expect(requireAgeCli().version).toMatch(/^v?1\.\d+\.\d+/);
  });

  describe.each([false, true])("our files, armor %s", (armor) => {
    it.each(SIZES)("age -d decrypts %i bytes we encrypted to three recipients", async (size) => {
      const [a, b, c] = [generateIdentity(), generateIdentity(), generateIdentity()];
      const plain = pseudoRandomBytes(size, size);
      const file = encryptBytes(plain, { recipients: [a.recipient, b.recipient, c.recipient], armor });
      const r = await run("age", ["-d", "-i", await keyFile([c])], file);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout.equals(plain)).toBe(true);
    });
  });

  describe.each([false, true])("age's files, armor %s", (armor) => {
    it.each(SIZES)("we decrypt %i bytes age encrypted to two recipients", async (size) => {
      const [a, b] = [generateIdentity(), generateIdentity()];
      const plain = pseudoRandomBytes(size, size + 1);
      const args = ["-e", "-r", formatRecipient(a.recipient), "-r", formatRecipient(b.recipient), ...(armor ? ["-a"] : [])];
      const r = await run("age", args, plain);
      expect(r.code).toBe(0);
      expect(decryptBytes(r.stdout, { identities: [b] }).equals(plain)).toBe(true);
    });
  });

  it("age refuses a file of ours with one flipped payload bit, as we do", async () => {
    const a = generateIdentity();
    const file = encryptBytes(pseudoRandomBytes(3 * K, 1), { recipients: [a.recipient] });
    flip(file, -40);
    const r = await run("age", ["-d", "-i", await keyFile([a])], file);
    expect(r.code).not.toBe(0);
    expect(isMlatError(thrown(() => decryptBytes(file, { identities: [a] })), "AGE_PAYLOAD_INVALID")).toBe(true);
  });

  it("we read age-keygen identity files and age reads ours", async () => {
    const keygen = await run("age-keygen", []);
    const [theirs] = parseIdentityFile(keygen.stdout.toString("utf8"));
    const ours = generateIdentity();
    const both = join(dir, "both.txt");
    await writeFile(both, keygen.stdout.toString("utf8") + formatIdentityFile(ours), { mode: 0o600 });
    const file = encryptBytes(Buffer.from("to the second key"), { recipients: [ours.recipient] });
    const r = await run("age", ["-d", "-i", both], file);
    expect(r.stdout.toString()).toBe("to the second key");
    const back = await run("age", ["-e", "-i", both], Buffer.from("to both")); // -e -i: encrypt to the file's recipients
    expect(decryptBytes(back.stdout, { identities: [theirs!] }).toString()).toBe("to both");
    expect(decryptBytes(back.stdout, { identities: [ours] }).toString()).toBe("to both");
  });

  it("file to file, 17 MiB (sealed on worker threads), both ways through encryptFile / decryptFile", async () => {
    const a = generateIdentity();
    const plain = pseudoRandomBytes(PARALLEL_FILE_FROM + 1024 * 1024 + 5, 77);
    await writeFile(join(dir, "big.bin"), plain);
    await encryptFile(join(dir, "big.bin"), join(dir, "big.age"), { recipients: [a.recipient] });
    const key = await keyFile([a]);
    const r1 = await run("age", ["-d", "-i", key, "-o", join(dir, "big.age.out"), join(dir, "big.age")]);
    expect(r1.code).toBe(0);
    expect((await readFile(join(dir, "big.age.out"))).equals(plain)).toBe(true);
    const r2 = await run("age", ["-e", "-r", formatRecipient(a.recipient), "-o", join(dir, "big.cli.age"), join(dir, "big.bin")]);
    expect(r2.code).toBe(0);
    await decryptFile(join(dir, "big.cli.age"), join(dir, "big.cli.out"), [a]);
    expect((await readFile(join(dir, "big.cli.out"))).equals(plain)).toBe(true);
  });
});

describe("age-encryption (npm, typage)", () => {
  type Typage = typeof import("age-encryption");
  let age: Typage;
  beforeAll(async () => {
    age = await import("age-encryption");
  });

  it.each(SIZES)("typage decrypts %i bytes we encrypted, and we decrypt what it encrypts", async (size) => {
    const theirIdentity = await age.generateX25519Identity();
    const theirRecipient = await age.identityToRecipient(theirIdentity);
    const ours = generateIdentity();
    const plain = pseudoRandomBytes(size, size + 2);

    const file = encryptBytes(plain, { recipients: [theirRecipient, ours.recipient] });
    const d = new age.Decrypter();
    d.addIdentity(theirIdentity);
    expect(Buffer.from(await d.decrypt(file, "uint8array")).equals(plain)).toBe(true);

    const e = new age.Encrypter();
    e.addRecipient(formatRecipient(ours.recipient));
    const theirs = await e.encrypt(plain);
    expect(decryptBytes(theirs, { identities: [ours] }).equals(plain)).toBe(true);
  });

  it("agrees on identities and armor", async () => {
    const theirIdentity = await age.generateX25519Identity();
    expect(formatRecipient(parseIdentity(theirIdentity).recipient)).toBe(await age.identityToRecipient(theirIdentity));
    const ours = generateIdentity();
    expect(await age.identityToRecipient(formatIdentity(ours))).toBe(formatRecipient(ours.recipient));

    const plain = pseudoRandomBytes(5000, 3);
    const armored = encryptBytes(plain, { recipients: [ours.recipient], armor: true });
    const binary = age.armor.decode(armored.toString("latin1"));
    expect(decryptBytes(Buffer.from(binary), { identities: [ours] }).equals(plain)).toBe(true);
    const e = new age.Encrypter();
    e.addRecipient(formatRecipient(ours.recipient));
    const theirArmor = age.armor.encode(await e.encrypt(plain));
    expect(decryptBytes(Buffer.from(theirArmor), { identities: [ours] }).equals(plain)).toBe(true);
  });

  it("typage refuses a payload we truncated, as we do", async () => {
    const theirIdentity = await age.generateX25519Identity();
    const file = encryptBytes(pseudoRandomBytes(2 * K, 4), { recipients: [await age.identityToRecipient(theirIdentity)] });
    const d = new age.Decrypter();
    d.addIdentity(theirIdentity);
    await expect(d.decrypt(file.subarray(0, file.length - 1), "uint8array")).rejects.toThrow();
  });
});
