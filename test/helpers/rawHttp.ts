/**
 * HTTP/1.1 over a bare TCP socket, for tests that must send what `fetch` and `http.request` refuse to
 * (NUL bytes in a path, a bad Content-Length, unknown methods, a body that stalls) and read exactly what
 * the server answers, including the bare answers Node's HTTP parser gives before any application code.
 */
import { connect, type Socket } from "node:net";

/** One answer as it came over the wire. */
export interface RawResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** How a raw exchange ended. */
export interface RawOutcome {
  /** The first complete answer, if one arrived. */
  response?: RawResponse;
  /** True when the server closed (or reset) the connection. */
  closed: boolean;
  /** Bytes received in all (to check what a cut-off client was told). */
  received: Buffer;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** The status line and headers of a response at `offset`, after any interim (1xx) answers. */
function parseHead(buf: Buffer, offset = 0): { status: number; headers: Record<string, string>; bodyStart: number } | undefined {
  for (;;) {
    const end = buf.indexOf(HEADER_END, offset);
    if (end < 0) return undefined;
    const lines = buf.subarray(offset, end).toString("latin1").split("\r\n");
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
    if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0])}`);
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodyStart = end + HEADER_END.length;
    if (status >= 200) return { status, headers, bodyStart };
    offset = bodyStart;
  }
}

/**
 * Parses one HTTP/1.1 response from the start of `buf`; undefined while incomplete. Skips interim
 * (1xx) answers; `head` says the request was HEAD (no body whatever the headers say); `eof` says the
 * connection closed (a body without length ends there). An endless `text/event-stream` is complete at
 * its headers.
 */
export function parseResponse(buf: Buffer, head: boolean, eof: boolean): { response: RawResponse; length: number } | undefined {
  const h = parseHead(buf);
  if (!h) return undefined;
  const { status, headers, bodyStart } = h;
  const empty = { response: { status, headers, body: Buffer.alloc(0) }, length: bodyStart };
  if (head || status === 204 || status === 304 || /event-stream/.test(headers["content-type"] ?? "")) return empty;
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
    const chunks: Buffer[] = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf(CRLF, at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.subarray(at, lineEnd).toString("latin1"), 16);
      if (Number.isNaN(size)) throw new Error("bad chunk size");
      const dataStart = lineEnd + 2;
      if (size === 0) {
        const trailerEnd = buf.indexOf(HEADER_END, lineEnd);
        if (trailerEnd < 0) return undefined;
        return { response: { status, headers, body: Buffer.concat(chunks) }, length: trailerEnd + HEADER_END.length };
      }
      if (buf.length < dataStart + size + 2) return undefined;
      chunks.push(buf.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
  const declared = headers["content-length"];
  if (declared !== undefined) {
    const n = Number(declared);
    if (buf.length < bodyStart + n) return undefined;
    return { response: { status, headers, body: buf.subarray(bodyStart, bodyStart + n) }, length: bodyStart + n };
  }
  if (!eof) return undefined;
  return { response: { status, headers, body: buf.subarray(bodyStart) }, length: buf.length };
}

/** A request as raw bytes, plus what the reader must know about it. */
export interface RawRequest {
  bytes: Buffer;
  /** HEAD: the answer has no body. */
  head?: boolean;
}

/**
 * A kept-alive connection that sends raw requests one at a time and reads each answer. A streamed
 * answer (`text/event-stream`) is taken as complete at its headers, and the connection is dropped.
 */
export class RawConnection {
  #socket?: Socket;
  #buf: Buffer = Buffer.alloc(0);
  #eof = false;
  #wake?: () => void;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  #opening?: Promise<Socket>;
  #generation = 0;

  #open(): Promise<Socket> {
    if (this.#socket && !this.#eof && !this.#socket.destroyed) return Promise.resolve(this.#socket);
    this.#opening ??= this.#connect().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #connect(): Promise<Socket> {
    this.#buf = Buffer.alloc(0);
    this.#eof = false;
    const socket = connect(this.port, this.host);
    socket.setNoDelay(true);
    // Events of a connection already replaced by a newer one must not touch the newer one's state.
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    socket.on("data", (d: Buffer) => {
      if (!current()) return;
      this.#buf = this.#buf.length === 0 ? d : Buffer.concat([this.#buf, d]);
      this.#wake?.();
    });
    const ended = () => {
      if (!current()) return;
      this.#eof = true;
      this.#wake?.();
    };
    socket.on("end", ended);
    socket.on("close", ended);
    socket.on("error", ended);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    this.#socket = socket;
    return socket;
  }

  /** Writes more bytes on the open connection (the rest of a body already under way). */
  async write(bytes: Buffer | string): Promise<void> {
    (await this.#open()).write(bytes);
  }

  /** Sends one request and waits for its answer (or the connection's end). */
  async exchange(req: RawRequest): Promise<RawOutcome> {
    const socket = await this.#open();
    this.#buf = Buffer.alloc(0);
    socket.write(req.bytes);
    for (;;) {
      let parsed: ReturnType<typeof parseResponse>;
      try {
        parsed = parseResponse(this.#buf, req.head ?? false, this.#eof);
      } catch {
        this.close();
        return { closed: true, received: this.#buf };
      }
      if (parsed) {
        const { response } = parsed;
        const streaming = /event-stream/.test(response.headers["content-type"] ?? "");
        const received = this.#buf;
        this.#buf = this.#buf.subarray(parsed.length);
        const closed = this.#eof;
        if (streaming || /close/i.test(response.headers.connection ?? "") || this.#buf.length > 0) this.close();
        return { response, closed, received };
      }
      if (this.#eof) {
        const received = this.#buf;
        this.close();
        return { closed: true, received };
      }
      await new Promise<void>((r) => (this.#wake = r));
      this.#wake = undefined;
    }
  }

  close(): void {
    this.#generation++;
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#eof = true;
  }
}

/**
 * Opens a connection, writes `parts` (strings or buffers, each after waiting `gapMs`, or `pause` to
 * stop sending without closing), and collects everything until the server closes the connection.
 * @example const out = await sendSlowly(port, ["POST /v1/requests HTTP/1.1\r\n", …], 100);
 */
export function sendSlowly(
  host: string,
  port: number,
  parts: readonly (string | Buffer)[],
  gapMs: number,
  options: { untilClosed?: boolean; keepSending?: () => string | Buffer | undefined } = {},
): Promise<RawOutcome & { sent: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setNoDelay(true);
    let received: Buffer = Buffer.alloc(0);
    let sent = 0;
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const next = () => {
      if (socket.destroyed || !socket.writable) return;
      const part = i < parts.length ? parts[i++] : options.keepSending?.();
      if (part === undefined) return;
      socket.write(part);
      sent += Buffer.byteLength(part);
      timer = setTimeout(next, gapMs);
    };
    socket.on("connect", next);
    socket.on("data", (d: Buffer) => (received = Buffer.concat([received, d])));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      let response: RawResponse | undefined;
      try {
        response = parseResponse(received, false, true)?.response;
      } catch {
        response = undefined;
      }
      resolve({ response, closed: true, received, sent });
    });
  });
}

/**
 * An HTTP/1.1 request as bytes.
 * @example rawRequest("POST", "/v1/requests", { host: "x", "content-type": "application/json" }, "{}")
 */
export function rawRequest(method: string, target: string, headers: Record<string, string>, body?: string | Buffer): Buffer {
  const head = [`${method} ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join("\r\n") + "\r\n\r\n";
  return Buffer.concat([Buffer.from(head, "latin1"), typeof body === "string" ? Buffer.from(body) : (body ?? Buffer.alloc(0))]);
}
