import { decodeBase64Padded } from "./base64";
import { cryptoError } from "./errors";
import { AGE_ARMOR } from "./formats";
import type { Transform } from "node:stream";
import { coreTransform, runCore } from "./streamCore";

/**
 * The age ASCII armor (age-encryption.org/v1, "ASCII armor"): a strict PEM subset.
 *
 *     -----BEGIN AGE ENCRYPTED FILE-----
 *     <padded base64, exactly 64 columns per line, the last line 1–64 columns>
 *     -----END AGE ENCRYPTED FILE-----
 *
 * Decoding accepts LF or CRLF line ends and up to 1 KiB of whitespace before and after (whole lines
 * before BEGIN), and nothing else: no headers, no empty or short lines before the last, no whitespace
 * inside lines, canonical base64 only. Both directions are streaming push-style cores.
 */

const BEGIN = Buffer.from(AGE_ARMOR.begin, "latin1");
const END = Buffer.from(AGE_ARMOR.end, "latin1");
const COLUMNS = AGE_ARMOR.columns;
const BYTES_PER_LINE = (COLUMNS / 4) * 3;
const MAX_LINE = COLUMNS + 1; // a data line and its CR
const LF = 0x0a;
const CR = 0x0d;
const EQUALS = 0x3d;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;

/** 1: base64 alphabet, 2: '=', 0: anything else. */
const CLASS = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") CLASS[c.charCodeAt(0)] = 1;
CLASS[0x3d] = 2;

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function armorError(reason: string): never {
  throw cryptoError("AGE_ARMOR_INVALID", `invalid age armor: ${reason}`);
}

/**
 * Streaming armor encoder: emits the BEGIN line, 64-column lines of padded base64, and the END line.
 *
 * @example
 * const parts: Buffer[] = [];
 * const enc = new ArmorEncoder((b) => parts.push(b));
 * enc.update(binaryAgeFile);
 * enc.final();
 */
export class ArmorEncoder {
  readonly #emit: (chunk: Buffer) => void;
  readonly #rest = Buffer.allocUnsafe(BYTES_PER_LINE);
  #restLen = 0;
  #started = false;
  #finished = false;

  constructor(emit: (chunk: Buffer) => void) {
    this.#emit = emit;
  }

  /** Consumes binary bytes; emits every complete line. */
  update(data: Uint8Array): void {
    if (this.#finished) throw new Error("ArmorEncoder: update after final");
    this.#start();
    let off = 0;
    if (this.#restLen > 0) {
      const take = Math.min(BYTES_PER_LINE - this.#restLen, data.length);
      this.#rest.set(data.subarray(0, take), this.#restLen);
      this.#restLen += take;
      off = take;
      if (this.#restLen < BYTES_PER_LINE) return;
      this.#emit(this.#lines(this.#rest));
      this.#restLen = 0;
    }
    const whole = Math.floor((data.length - off) / BYTES_PER_LINE) * BYTES_PER_LINE;
    if (whole > 0) this.#emit(this.#lines(data.subarray(off, off + whole)));
    off += whole;
    this.#rest.set(data.subarray(off), 0);
    this.#restLen = data.length - off;
  }

  /** Emits the last, short line (if any) and the END line. */
  final(): void {
    if (this.#finished) return;
    this.#start();
    this.#finished = true;
    const last = this.#restLen > 0 ? this.#rest.toString("base64", 0, this.#restLen) + "\n" : "";
    this.#emit(Buffer.from(`${last}${AGE_ARMOR.end}\n`, "latin1"));
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#emit(Buffer.from(AGE_ARMOR.begin + "\n", "latin1"));
  }

  /** Whole 48-byte groups as 64-column lines. */
  #lines(bytes: Uint8Array): Buffer {
    const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
    const lines: string[] = [];
    for (let i = 0; i < b64.length; i += COLUMNS) lines.push(b64.slice(i, i + COLUMNS));
    lines.push("");
    return Buffer.from(lines.join("\n"), "latin1");
  }
}

const enum State {
  Leading,
  Begin,
  Body,
  Trailing,
}

/**
 * Streaming strict armor decoder: emits the binary bytes. Throws `AGE_ARMOR_INVALID` as soon as the
 * input cannot be canonical armor, and from `final` when the END line is missing.
 *
 * @example
 * const parts: Buffer[] = [];
 * const dec = new ArmorDecoder((b) => parts.push(b));
 * dec.update(armoredText);
 * dec.final();
 */
export class ArmorDecoder {
  readonly #emit: (chunk: Buffer) => void;
  #state = State.Leading;
  #space = 0;
  #atLineStart = true;
  readonly #line = Buffer.allocUnsafe(MAX_LINE);
  #lineLen = 0;
  #sawLastLine = false;
  #batch: Buffer | undefined;
  #batchLen = 0;
  #failed: unknown;

  constructor(emit: (chunk: Buffer) => void) {
    this.#emit = emit;
  }

  /** Consumes armored bytes; emits the bytes of every complete line. */
  update(data: Uint8Array): void {
    if (this.#failed) throw this.#failed;
    try {
      this.#update(data);
    } catch (e) {
      this.#failed = e;
      throw e;
    }
  }

  /** Checks that the armor ended properly (END line, then only whitespace). */
  final(): void {
    if (this.#failed) throw this.#failed;
    try {
      if (this.#state === State.Begin || this.#state === State.Body) {
        // The file may end without a final newline: only the END line may be unterminated.
        if (this.#lineLen > 0) {
          this.#onLine(this.#line.subarray(0, this.#lineLen));
          this.#lineLen = 0;
        }
      }
      this.#flushBatch();
      if (this.#state === State.Leading) armorError("no BEGIN line");
      if (this.#state !== State.Trailing) armorError("no END line");
    } catch (e) {
      this.#failed = e;
      throw e;
    }
  }

  #update(data: Uint8Array): void {
    const len = data.length;
    let i = 0;
    while (i < len) {
      if (this.#state === State.Leading || this.#state === State.Trailing) {
        for (; i < len; i++) {
          const c = data[i] as number;
          if (!isSpace(c)) break;
          this.#atLineStart = c === LF;
          if (++this.#space > AGE_ARMOR.maxWhitespace) armorError(`more than ${AGE_ARMOR.maxWhitespace} bytes of whitespace around the armor`);
        }
        if (i === len) break;
        if (this.#state === State.Trailing) armorError("data after the END line");
        if (!this.#atLineStart) armorError("the BEGIN line does not start a line");
        this.#state = State.Begin;
        this.#space = 0;
      }
      if (this.#state === State.Body && this.#lineLen === 0 && !this.#sawLastLine) {
        i = this.#fullLines(data, i);
        if (i >= len) break;
      }
      const nl = data.indexOf(LF, i);
      const stop = nl === -1 ? len : nl;
      if (this.#lineLen > 0 || nl === -1) {
        if (this.#lineLen + (stop - i) > MAX_LINE) armorError(this.#state === State.Begin ? "invalid BEGIN line" : "line longer than 64 columns");
        this.#line.set(data.subarray(i, stop), this.#lineLen);
        this.#lineLen += stop - i;
        if (nl === -1) break;
        this.#onLine(this.#line.subarray(0, this.#lineLen));
        this.#lineLen = 0;
      } else {
        if (stop - i > MAX_LINE) armorError(this.#state === State.Begin ? "invalid BEGIN line" : "line longer than 64 columns");
        this.#onLine(data.subarray(i, stop), data.length);
      }
      i = stop + 1;
    }
    this.#flushBatch();
  }

  /**
   * The fast path: decodes a run of complete 64-column lines without padding in one call, with no copy,
   * and returns where the first other line starts. Node's decoder skips bytes outside its alphabet and
   * stops at "=", so the run is canonical exactly when it decodes to 48 bytes a line and holds neither
   * "-" nor "_" (the URL-safe letters Node would also take).
   */
  #fullLines(data: Uint8Array, start: number): number {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let i = start;
    let lines = 0;
    for (;;) {
      const nl = buf.indexOf(LF, i);
      if (nl === -1) break;
      const end = nl > i && buf[nl - 1] === CR ? nl - 1 : nl;
      if (end - i !== COLUMNS || buf[end - 1] === EQUALS) break;
      lines++;
      i = nl + 1;
    }
    if (lines === 0) return start;
    const run = buf.subarray(start, i);
    const bytes = Buffer.from(run.toString("latin1"), "base64");
    if (bytes.length !== lines * BYTES_PER_LINE || run.indexOf(DASH) !== -1 || run.indexOf(UNDERSCORE) !== -1) {
      armorError("character outside the base64 alphabet");
    }
    this.#flushBatch();
    this.#emit(bytes);
    return i;
  }

  /** One line without its LF; `sizeHint` sizes the batch of decoded-later full lines. */
  #onLine(raw: Uint8Array, sizeHint = MAX_LINE): void {
    const line = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
    if (this.#state === State.Begin) {
      if (!BEGIN.equals(line)) armorError("invalid BEGIN line");
      this.#state = State.Body;
      return;
    }
    if (line.length === END.length && END.equals(line)) {
      this.#state = State.Trailing;
      this.#space = 0;
      return;
    }
    if (this.#sawLastLine) armorError("a line after the short last line");
    if (line.length === 0) armorError("empty line");
    if (line.length > COLUMNS) armorError("line longer than 64 columns");
    let padding = 0;
    for (let k = 0; k < line.length; k++) {
      const cls = CLASS[line[k] as number];
      if (cls === 0) armorError("character outside the base64 alphabet");
      if (cls === 2) padding++;
      else if (padding > 0) armorError("padding inside a line");
    }
    if (line.length === COLUMNS && padding === 0) {
      if (this.#batch && this.#batchLen + COLUMNS > this.#batch.length) this.#flushBatch();
      if (!this.#batch) this.#batch = Buffer.allocUnsafe(Math.max(sizeHint, MAX_LINE));
      this.#batch.set(line, this.#batchLen);
      this.#batchLen += COLUMNS;
      return;
    }
    // The short (or padded) last line: canonical padded base64, then only END may follow.
    this.#sawLastLine = true;
    if (line.length % 4 !== 0 || padding > 2) armorError("last line is not padded base64");
    const bytes = decodeBase64Padded(Buffer.from(line.buffer, line.byteOffset, line.length).toString("latin1"));
    if (!bytes) armorError("last line is not canonical base64");
    this.#flushBatch();
    if (bytes.length > 0) this.#emit(bytes);
  }

  #flushBatch(): void {
    if (this.#batchLen === 0 || !this.#batch) return;
    // Full lines hold no padding, so they are canonical exactly when they re-encode to themselves.
    const text = this.#batch.toString("latin1", 0, this.#batchLen);
    const bytes = Buffer.from(text, "base64");
    if (bytes.toString("base64") !== text) armorError("character outside the base64 alphabet");
    this.#emit(bytes);
    this.#batchLen = 0;
    this.#batch = undefined;
  }
}

/**
 * Armors a whole binary age file.
 *
 * @example
 * const text = armorEncode(encryptBytes(data, { recipients })); // "-----BEGIN AGE ENCRYPTED FILE-----\n…"
 */
export function armorEncode(bytes: Uint8Array): string {
  return runCore((emit) => new ArmorEncoder(emit), bytes).toString("latin1");
}

/**
 * Decodes a whole armored age file strictly.
 *
 * @example
 * const binary = armorDecode(await readFile("evidence.age.asc"));
 */
export function armorDecode(text: string | Uint8Array): Buffer {
  return runCore((emit) => new ArmorDecoder(emit), typeof text === "string" ? Buffer.from(text, "utf8") : text);
}

/**
 * Whether bytes look armored: after optional whitespace, they start with `-` (binary age files start
 * with `age-encryption.org/v1`). Decides what {@link ArmorDecoder} is for; it does not validate.
 *
 * @example
 * looksArmored(Buffer.from("-----BEGIN AGE ENCRYPTED FILE-----\n")); // true
 */
export function looksArmored(firstBytes: Uint8Array): boolean | undefined {
  for (const c of firstBytes) {
    if (!isSpace(c)) return c === 0x2d;
  }
  return undefined;
}

/**
 * A Transform that armors a binary age file.
 *
 * @example
 * await pipeline(createReadStream("a.age"), createArmorEncodeStream(), createWriteStream("a.age.asc"));
 */
export function createArmorEncodeStream(): Transform {
  return coreTransform((emit) => new ArmorEncoder(emit));
}

/**
 * A Transform that strictly decodes an armored age file to the binary file.
 *
 * @example
 * await pipeline(createReadStream("a.age.asc"), createArmorDecodeStream(), createWriteStream("a.age"));
 */
export function createArmorDecodeStream(): Transform {
  return coreTransform((emit) => new ArmorDecoder(emit));
}
