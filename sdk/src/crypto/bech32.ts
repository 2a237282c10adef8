import { cryptoError } from "./errors";

/**
 * Bech32 (BIP 173, the original checksum constant 1) as age uses it for keys: strict checksum, no mixed
 * case, 8-bit data with canonical zero padding, and no 90-character limit (age lifted it).
 */

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const CHARSET_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) CHARSET_REV[CHARSET.charCodeAt(i)] = i;
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: ArrayLike<number>, chk = 1): number {
  for (let i = 0; i < values.length; i++) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ (values[i] as number);
    for (let j = 0; j < 5; j++) if ((top >>> j) & 1) chk ^= GENERATOR[j] as number;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | (data[i] as number);
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >>> bits) & maxv);
    }
    acc &= (1 << bits) - 1;
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || acc !== 0) {
    return undefined;
  }
  return out;
}

function invalid(s: string, reason: string): never {
  // Never echo the whole input: it may be a secret key.
  throw cryptoError("BECH32_INVALID", `invalid Bech32 string: ${reason}`, {
    details: `input of ${s.length} characters starting "${s.slice(0, Math.min(4, s.length))}…"`,
  });
}

/**
 * A decoded Bech32 string: the human-readable part exactly as written (its case is meaningful to
 * age: `age` for recipients, `AGE-SECRET-KEY-` for identities) and the 8-bit data.
 *
 * @example
 * const { hrp, data }: Bech32Decoded = bech32Decode("age1…");
 */
export interface Bech32Decoded {
  hrp: string;
  data: Uint8Array;
}

/**
 * Decodes a Bech32 string strictly. Throws `BECH32_INVALID` on a bad checksum, mixed case, characters
 * outside the charset, a misplaced separator, or non-canonical padding of the data.
 *
 * @example
 * const { hrp, data } = bech32Decode("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p");
 * // hrp === "age", data.length === 32
 */
export function bech32Decode(s: string): Bech32Decoded {
  if (typeof s !== "string") invalid(String(s), "not a string");
  let hasLower = false;
  let hasUpper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) invalid(s, `character code ${c} at position ${i}`);
    if (c >= 97 && c <= 122) hasLower = true;
    if (c >= 65 && c <= 90) hasUpper = true;
  }
  if (hasLower && hasUpper) invalid(s, "mixed case");
  const pos = s.lastIndexOf("1");
  if (pos < 1) invalid(s, "missing or empty human-readable part");
  if (pos + 7 > s.length) invalid(s, "data part shorter than the checksum");
  const hrp = s.slice(0, pos);
  const lower = s.toLowerCase();
  const values = new Uint8Array(s.length - pos - 1);
  for (let i = pos + 1; i < lower.length; i++) {
    const v = CHARSET_REV[lower.charCodeAt(i)] as number;
    if (v === -1) invalid(s, `character "${lower[i]}" outside the Bech32 charset at position ${i}`);
    values[i - pos - 1] = v;
  }
  if (polymod(values, polymod(hrpExpand(hrp.toLowerCase()))) !== 1) invalid(s, "checksum mismatch");
  const data = convertBits(values.subarray(0, values.length - 6), 5, 8, false);
  if (!data) invalid(s, "non-canonical padding of the data part");
  return { hrp, data: Uint8Array.from(data) };
}

/**
 * Encodes data with a human-readable part. The result has the case of `hrp` (all lower or all upper
 * case); a mixed-case `hrp` is refused.
 *
 * @example
 * bech32Encode("age", publicKey);              // "age1…"
 * bech32Encode("AGE-SECRET-KEY-", secretKey);  // "AGE-SECRET-KEY-1…"
 */
export function bech32Encode(hrp: string, data: Uint8Array): string {
  if (hrp.length === 0) invalid(hrp, "empty human-readable part");
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) invalid(hrp, `character code ${c} in the human-readable part`);
  }
  const upper = hrp === hrp.toUpperCase() && hrp !== hrp.toLowerCase();
  if (!upper && hrp !== hrp.toLowerCase()) invalid(hrp, "mixed-case human-readable part");
  const lowHrp = hrp.toLowerCase();
  const values = convertBits(data, 8, 5, true) as number[];
  const mod = polymod([...values, 0, 0, 0, 0, 0, 0], polymod(hrpExpand(lowHrp))) ^ 1;
  for (let i = 0; i < 6; i++) values.push((mod >>> (5 * (5 - i))) & 31);
  let out = lowHrp + "1";
  for (const v of values) out += CHARSET[v];
  return upper ? out.toUpperCase() : out;
}
