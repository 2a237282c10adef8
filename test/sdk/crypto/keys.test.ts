import { spawnSync } from "node:child_process";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { bech32Encode } from "../../../sdk/src/crypto/bech32";
import {
  formatIdentity,
  formatIdentityFile,
  formatRecipient,
  generateIdentity,
  identityFromSecretKey,
  parseIdentity,
  parseIdentityFile,
  parseRecipient,
  recipientFromPublicKey,
  toIdentity,
  toRecipient,
} from "../../../sdk/src/crypto/keys";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { requireAgeCli } from "./helpers/ageCli";
import { thrown } from "./helpers/bytes";

// RFC 7748 §6.1: Alice's private key and public key.
const ALICE_SECRET = Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex");
const ALICE_PUBLIC = Buffer.from("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", "hex");

function ageKeygen(): { identity: string; recipient: string; file: string } {
  requireAgeCli();
  const r = spawnSync("age-keygen", [], { encoding: "utf8" });
  expect(r.status).toBe(0);
  const identity = r.stdout.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-1")) as string;
  const recipient = spawnSync("age-keygen", ["-y"], { input: r.stdout, encoding: "utf8" }).stdout.trim();
  return { identity, recipient, file: r.stdout };
}

describe("identityFromSecretKey", () => {
  it("derives the RFC 7748 public key", () => {
    expect(Buffer.from(identityFromSecretKey(ALICE_SECRET).recipient.publicKey)).toEqual(ALICE_PUBLIC);
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(isMlatError(thrown(() => identityFromSecretKey(new Uint8Array(31))), "AGE_INVALID_IDENTITY")).toBe(true);
  });
});

describe("parseIdentity", () => {
  it("reads age-keygen's identities, and finds the recipient age-keygen -y prints", () => {
    for (let i = 0; i < 3; i++) {
      const { identity, recipient } = ageKeygen();
      const parsed = parseIdentity(identity);
      expect(formatRecipient(parsed.recipient)).toBe(recipient);
      expect(formatIdentity(parsed)).toBe(identity);
    }
  });

  it("refuses a lower-case identity (age writes and reads them upper case)", () => {
    const s = formatIdentity(generateIdentity()).toLowerCase();
    expect(thrown(() => parseIdentity(s))).toMatchObject({ code: "AGE_INVALID_IDENTITY" });
  });

  it("refuses a recipient given as an identity", () => {
    expect(isMlatError(thrown(() => parseIdentity(formatRecipient(generateIdentity().recipient))), "AGE_INVALID_IDENTITY")).toBe(true);
  });

  it("refuses a key of the wrong length", () => {
    expect(isMlatError(thrown(() => parseIdentity(bech32Encode("AGE-SECRET-KEY-", new Uint8Array(31)))), "AGE_INVALID_IDENTITY")).toBe(true);
  });

  it.each([
    ["mlkem768x25519", bech32Encode("AGE-SECRET-KEY-PQ-", new Uint8Array(32))],
    ["plugin yubikey", bech32Encode("AGE-PLUGIN-YUBIKEY-", new Uint8Array(8))],
    ["ssh", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\n"],
  ])("refuses a %s identity as unsupported", (type, s) => {
    expect(thrown(() => parseIdentity(s))).toMatchObject({ code: "AGE_UNSUPPORTED_IDENTITY", shortMessage: `unsupported identity type ${type}` });
  });

  it("never puts the secret in an error", () => {
    const s = formatIdentity(generateIdentity());
    const broken = s.slice(0, -1) + (s.endsWith("Q") ? "P" : "Q");
    const e = thrown(() => parseIdentity(broken)) as Error & { details?: string; cause?: unknown };
    expect(inspect(e, { depth: 5 })).not.toContain(broken.slice(20, 60));
  });
});

describe("parseRecipient", () => {
  it("reads an age1 recipient", () => {
    const r = parseRecipient(bech32Encode("age", ALICE_PUBLIC));
    expect(Buffer.from(r.publicKey)).toEqual(ALICE_PUBLIC);
  });

  it("refuses an upper-case recipient", () => {
    const s = bech32Encode("age", ALICE_PUBLIC).toUpperCase();
    expect(isMlatError(thrown(() => parseRecipient(s)), "AGE_INVALID_RECIPIENT")).toBe(true);
  });

  it.each([
    ["mlkem768x25519", bech32Encode("age1pq", new Uint8Array(64))],
    ["plugin yubikey", bech32Encode("age1yubikey", new Uint8Array(33))],
    ["ssh-ed25519", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN alice@example"],
    ["ssh-rsa", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ bob@example"],
  ])("refuses a %s recipient as unsupported", (type, s) => {
    expect(thrown(() => parseRecipient(s))).toMatchObject({ code: "AGE_UNSUPPORTED_RECIPIENT", shortMessage: `unsupported recipient type ${type}` });
  });

  it.each([["garbage", "hello"], ["a bad checksum", "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"], ["a short key", bech32Encode("age", new Uint8Array(31))]])(
    "refuses %s",
    (_why, s) => {
      expect(isMlatError(thrown(() => parseRecipient(s)), "AGE_INVALID_RECIPIENT")).toBe(true);
    },
  );
});

describe("recipientFromPublicKey", () => {
  it("takes an on-chain bytes32 key", () => {
    const hex = `0x${ALICE_PUBLIC.toString("hex")}`;
    expect(formatRecipient(recipientFromPublicKey(hex))).toBe(bech32Encode("age", ALICE_PUBLIC));
  });

  it("refuses anything but 32 bytes", () => {
    expect(isMlatError(thrown(() => recipientFromPublicKey("0x1234")), "AGE_INVALID_RECIPIENT")).toBe(true);
    expect(isMlatError(thrown(() => recipientFromPublicKey(new Uint8Array(33))), "AGE_INVALID_RECIPIENT")).toBe(true);
  });
});

describe("parseIdentityFile", () => {
  it("reads age-keygen output: comments, and several keys", () => {
    const a = ageKeygen();
    const b = ageKeygen();
    const ids = parseIdentityFile(`${a.file}\n# another one\r\n${b.file.replaceAll("\n", "\r\n")}\n\n`);
    expect(ids.map((i) => formatRecipient(i.recipient))).toEqual([a.recipient, b.recipient]);
  });

  it("names the bad line without printing it", () => {
    const good = formatIdentity(generateIdentity());
    const e = thrown(() => parseIdentityFile(`# key\n${good}\n${good.slice(0, -2)}\n`)) as Error;
    expect(e).toMatchObject({ code: "AGE_INVALID_IDENTITY", shortMessage: expect.stringMatching(/^identity file line 3: /) });
    expect(inspect(e, { depth: 5 })).not.toContain(good.slice(20, 60));
  });

  it("refuses a file without keys, and indented keys", () => {
    expect(isMlatError(thrown(() => parseIdentityFile("# nothing\n\n")), "AGE_INVALID_IDENTITY")).toBe(true);
    expect(isMlatError(thrown(() => parseIdentityFile(` ${formatIdentity(generateIdentity())}\n`)), "AGE_INVALID_IDENTITY")).toBe(true);
  });

  it("reports an unsupported key type with its line", () => {
    const pq = bech32Encode("AGE-SECRET-KEY-PQ-", new Uint8Array(32));
    expect(thrown(() => parseIdentityFile(`\n${pq}\n`))).toMatchObject({
      code: "AGE_UNSUPPORTED_IDENTITY",
      shortMessage: "identity file line 2: unsupported identity type mlkem768x25519",
    });
  });
});

describe("formatIdentityFile", () => {
  it("writes a file that age-keygen -y and age read", () => {
    const id = generateIdentity();
    const text = formatIdentityFile(id, new Date("2025-01-02T03:04:05.678Z"));
    expect(text).toMatch(/^# created: 2025-01-02T03:04:05Z\n# public key: age1[a-z0-9]{58}\nAGE-SECRET-KEY-1[A-Z0-9]{58}\n$/);
    requireAgeCli();
    const r = spawnSync("age-keygen", ["-y"], { input: text, encoding: "utf8" });
    expect(r.stdout.trim()).toBe(formatRecipient(id.recipient));
  });
});

describe("generateIdentity", () => {
  it("makes distinct keys whose secret does not show when logged", () => {
    const a = generateIdentity();
    const b = generateIdentity();
    expect(formatIdentity(a)).not.toBe(formatIdentity(b));
    expect(inspect(a, { depth: 5 })).not.toContain(formatIdentity(a).slice(16));
    expect(JSON.stringify(a)).not.toContain(formatIdentity(a).slice(16));
  });
});

describe("toRecipient / toIdentity", () => {
  it("accept strings, bytes and objects, and refuse other things", () => {
    const id = generateIdentity();
    const s = formatRecipient(id.recipient);
    for (const r of [s, id.recipient, id.recipient.publicKey, `0x${Buffer.from(id.recipient.publicKey).toString("hex")}`]) {
      expect(formatRecipient(toRecipient(r as string))).toBe(s);
    }
    expect(formatIdentity(toIdentity(formatIdentity(id)))).toBe(formatIdentity(id));
    expect(toIdentity(id)).toBe(id);
    expect(isMlatError(thrown(() => toRecipient({} as never)), "AGE_INVALID_RECIPIENT")).toBe(true);
    expect(isMlatError(thrown(() => toIdentity({ type: "X25519" } as never)), "AGE_INVALID_IDENTITY")).toBe(true);
  });
});
