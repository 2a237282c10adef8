import { timingSafeEqual } from "node:crypto";
import { decodeBase64Unpadded, encodeBase64Unpadded } from "./base64";
import { cryptoError } from "./errors";
import { AGE } from "./formats";
import { hkdfSha256, hmacSha256 } from "./kdf";

/**
 * The age v1 header: encoding, strict parsing and the header MAC.
 *
 *     age-encryption.org/v1
 *     -> X25519 <share>
 *     <body, unpadded base64, 64 columns, last line shorter (maybe empty)>
 *     --- <MAC>
 */

/**
 * One recipient stanza: its type (first argument), the other arguments and the decoded body.
 *
 * @example
 * const stanza: AgeStanza = { type: "X25519", args: [share], body: wrappedFileKey };
 */
export interface AgeStanza {
  readonly type: string;
  readonly args: readonly string[];
  readonly body: Buffer;
}

/**
 * A parsed header.
 *
 * @example
 * const { header, size } = parseHeader(bytes)!;
 * header.stanzas.map((s) => s.type);
 */
export interface AgeHeader {
  readonly stanzas: readonly AgeStanza[];
  /** The bytes the MAC covers: from the version line through `---` (without the space). */
  readonly macInput: Buffer;
  readonly mac: Buffer;
}

function headerError(reason: string, details?: string): never {
  throw cryptoError("AGE_HEADER_INVALID", `invalid age header: ${reason}`, { details });
}

/** An argument: one or more printable ASCII characters (VCHAR, 33–126). */
function isValidArgument(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/**
 * The header up to and including `---`, the input of the header MAC.
 *
 * @example
 * const macInput = encodeHeaderWithoutMac([stanza]);
 */
export function encodeHeaderWithoutMac(stanzas: readonly AgeStanza[]): Buffer {
  let text = AGE.versionLine + "\n";
  for (const s of stanzas) {
    const args = [s.type, ...s.args];
    if (!args.every(isValidArgument)) throw new RangeError("stanza arguments must be non-empty printable ASCII");
    text += `${AGE.stanzaPrefix} ${args.join(" ")}\n`;
    const body = encodeBase64Unpadded(s.body);
    for (let i = 0; i <= body.length; i += AGE.stanzaColumns) {
      text += body.slice(i, i + AGE.stanzaColumns) + "\n";
    }
  }
  return Buffer.from(text + AGE.footerPrefix, "latin1");
}

/**
 * The MAC of a header: HMAC-SHA256 under HKDF-SHA256(file key, "", "header").
 *
 * @example
 * const mac = headerMac(fileKey, encodeHeaderWithoutMac(stanzas));
 */
export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Buffer {
  return hmacSha256(hkdfSha256(fileKey, new Uint8Array(0), AGE.headerMacLabel, 32), macInput);
}

/**
 * Whether `mac` is the MAC of `header` under `fileKey`, in constant time.
 *
 * @example
 * if (!verifyHeaderMac(fileKey, header)) throw …;
 */
export function verifyHeaderMac(fileKey: Uint8Array, header: AgeHeader): boolean {
  return timingSafeEqual(headerMac(fileKey, header.macInput), header.mac);
}

/**
 * The complete encoded header (ending with the MAC line's LF) for `stanzas` under `fileKey`.
 *
 * @example
 * output.write(encodeHeader(fileKey, [wrapX25519(fileKey, recipient)]));
 */
export function encodeHeader(fileKey: Uint8Array, stanzas: readonly AgeStanza[]): Buffer {
  const macInput = encodeHeaderWithoutMac(stanzas);
  const macLine = Buffer.from(` ${encodeBase64Unpadded(headerMac(fileKey, macInput))}\n`, "latin1");
  return Buffer.concat([macInput, macLine]);
}

const VERSION_LINE = Buffer.from(AGE.versionLine + "\n", "latin1");
const FOOTER_START = Buffer.from("\n" + AGE.footerPrefix, "latin1");

/**
 * Parses a header at the start of `bytes`. Returns `undefined` while the header is still incomplete
 * (read more and call again), or the header and its size in bytes (the payload starts there). Throws
 * `AGE_HEADER_INVALID` as soon as the bytes cannot be a valid header: wrong version line, non-canonical
 * base64, a misplaced short body line, empty or non-printable arguments, CR characters, a malformed MAC
 * line, no stanza at all, or more than `maxSize` bytes.
 *
 * @example
 * const parsed = parseHeader(buffered);
 * if (parsed) startPayload(buffered.subarray(parsed.size));
 */
export function parseHeader(
  bytes: Buffer,
  maxSize: number = AGE.maxHeaderSize,
): { header: AgeHeader; size: number } | undefined {
  const versionBytes = Math.min(bytes.length, VERSION_LINE.length);
  if (!bytes.subarray(0, versionBytes).equals(VERSION_LINE.subarray(0, versionBytes))) {
    headerError(`the file does not start with "${AGE.versionLine}"`);
  }
  if (bytes.length < VERSION_LINE.length) return undefined;
  // The first line that starts with "---" closes the header: no stanza line or body line can.
  const footer = bytes.indexOf(FOOTER_START, VERSION_LINE.length - 1);
  const end = footer === -1 ? -1 : bytes.indexOf(0x0a, footer + 1);
  if (end === -1) {
    if (bytes.length > maxSize) headerError(`header larger than ${maxSize} bytes`);
    return undefined;
  }
  const size = end + 1;
  if (size > maxSize) headerError(`header larger than ${maxSize} bytes`);
  const lines = bytes.toString("latin1", VERSION_LINE.length, footer + 1).split("\n");
  lines.pop(); // the text ends with the LF before "---"
  const stanzas: AgeStanza[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++] as string;
    const parts = line.split(" ");
    if (parts[0] !== AGE.stanzaPrefix || parts.length < 2) {
      headerError(`malformed stanza line ${stanzas.length + 1}`, `line starts with ${JSON.stringify(line.slice(0, 16))}`);
    }
    const args = parts.slice(1);
    if (!args.every(isValidArgument)) headerError(`stanza ${stanzas.length + 1} has an empty or non-printable argument`);
    const body: Buffer[] = [];
    for (;;) {
      if (i >= lines.length) headerError(`stanza ${stanzas.length + 1} does not end with a short body line`);
      const bodyLine = lines[i++] as string;
      if (bodyLine.length > AGE.stanzaColumns) headerError(`stanza ${stanzas.length + 1} has a body line over 64 columns`);
      const decoded = decodeBase64Unpadded(bodyLine);
      if (!decoded) headerError(`stanza ${stanzas.length + 1} has a body line that is not canonical base64`);
      body.push(decoded);
      if (bodyLine.length < AGE.stanzaColumns) break;
    }
    stanzas.push({ type: args[0] as string, args: args.slice(1), body: Buffer.concat(body) });
  }
  if (stanzas.length === 0) headerError("no recipient stanza");
  const macLine = bytes.toString("latin1", footer + 1, end);
  const macParts = macLine.split(" ");
  const mac = macParts.length === 2 && macParts[0] === AGE.footerPrefix ? decodeBase64Unpadded(macParts[1] as string) : undefined;
  if (!mac || mac.length !== AGE.macSize) headerError("malformed MAC line");
  return { header: { stanzas, macInput: Buffer.from(bytes.subarray(0, footer + 1 + AGE.footerPrefix.length)), mac }, size };
}
