import { inflateSync } from "node:zlib";
import * as cctv from "cctv-age";

/** Expected outcome of a C2SP age test vector. */
export type Expectation = "success" | "no match" | "HMAC failure" | "header failure" | "payload failure" | "armor failure";

/** One vector of the `cctv-age` test kit, parsed (README of the kit, "Test file format"). */
export interface AgeVector {
  name: string;
  expect: Expectation;
  /** Hex SHA-256 of the plaintext released before success or failure. */
  payload?: string;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  fileKey?: string;
  comment?: string;
  /** The age file, decompressed. */
  file: Buffer;
}

const EXPECTATIONS = new Set(["success", "no match", "HMAC failure", "header failure", "payload failure", "armor failure"]);

function parseVector(name: string, raw: Uint8Array): AgeVector {
  const bytes = Buffer.from(raw);
  const split = bytes.indexOf("\n\n");
  if (split === -1) throw new Error(`vector ${name}: no blank line after the textual header`);
  const v: AgeVector = { name, expect: "success", identities: [], passphrases: [], armored: false, file: Buffer.alloc(0) };
  let compressed = false;
  let sawExpect = false;
  for (const line of bytes.toString("utf8", 0, split).split("\n")) {
    const at = line.indexOf(": ");
    if (at === -1) throw new Error(`vector ${name}: malformed line ${JSON.stringify(line)}`);
    const key = line.slice(0, at);
    const value = line.slice(at + 2);
    switch (key) {
      case "expect":
        if (!EXPECTATIONS.has(value)) throw new Error(`vector ${name}: unknown expectation ${value}`);
        v.expect = value as Expectation;
        sawExpect = true;
        break;
      case "payload": v.payload = value; break;
      case "identity": v.identities.push(value); break;
      case "passphrase": v.passphrases.push(value); break;
      case "armored": v.armored = value === "yes"; break;
      case "compressed":
        if (value !== "zlib") throw new Error(`vector ${name}: unknown compression ${value}`);
        compressed = true;
        break;
      case "file key": v.fileKey = value; break;
      case "comment": v.comment = value; break;
      default: // the kit says: files with unknown keys should be ignored — we fail loudly instead, to notice new features
        throw new Error(`vector ${name}: unknown key ${key}`);
    }
  }
  if (!sawExpect) throw new Error(`vector ${name}: no expectation`);
  const body = bytes.subarray(split + 2);
  v.file = compressed ? inflateSync(body) : Buffer.from(body);
  return v;
}

/** Every vector of the installed `cctv-age` package, sorted by name. */
export function loadAgeVectors(): AgeVector[] {
  return Object.entries(cctv as unknown as Record<string, unknown>)
    .filter((e): e is [string, Uint8Array] => e[0] !== "default" && e[1] instanceof Uint8Array)
    .map(([name, raw]) => parseVector(name, raw))
    .sort((a, b) => a.name.localeCompare(b.name));
}
