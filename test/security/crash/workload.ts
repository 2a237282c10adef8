/**
 * The client side of the crash suite: MX's central authority creating requests and MX's agency uploading
 * evidence, concurrently, through the SDK (`connectGateway` → `session.call`/`session.sign`, and
 * `uploadEvidence`), as agency software would — and writing down exactly what the gateway acknowledged.
 *
 * Acknowledged: a `202` to a signature (the call is queued for relay), and for an upload also its `201`
 * (the gateway holds the evidence and the registration the agency is to sign). A write whose answer never
 * came is retried with the same id (a request id, an evidence id: the submitter chooses them, so a retry
 * cannot make a second one); an upload or request whose intent came back is then only signed, never sent
 * again; a signature whose answer never came is signed again over the intent as the gateway now shows it.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { connectGateway, type GatewaySession, type Intent } from "../../../sdk/src/gateway/client";
import { uploadEvidence } from "../../../sdk/src/gateway/evidence";
import { GatewayRequestError } from "../../../sdk/src/gateway/http";
import { dossierFor } from "../../helpers/gatewayFixtures";
import type { CrashRig } from "./rig";

/** One write the clients attempted, and what they saw of it. */
export interface Write {
  kind: "request" | "evidence";
  /** The request id (requests) or evidence id (evidence), chosen by the client, the same on every attempt. */
  id: string;
  /** The request the evidence goes under. */
  requestId?: string;
  /** Evidence plaintext. */
  body?: Buffer;
  /** Attempts to create / upload (answered or not). */
  attempts: number;
  /** The intent the last answered create / upload returned. */
  prepared?: Intent;
  /** The payload digest the answered upload reported. */
  payloadDigest?: string;
  /** An upload answered 201: acknowledged. */
  uploadAcked: boolean;
  /** The intent as the 202 to its signature returned it: acknowledged. */
  acked?: Intent;
  /** A signature was sent and its answer never came: look at the intent again before signing. */
  signUnanswered: boolean;
  /** A 4xx the gateway answered (none is expected: a test failure). */
  refused?: string;
}

/** Whether an acknowledgement counts (202, or 201 for an upload). */
export const isAcknowledged = (w: Write): boolean => w.acked !== undefined || w.uploadAcked;

/** Creates / uploads retried at most this often when unanswered; then the write is left (it may land, or not). */
const MAX_ATTEMPTS = 5;

/** Sizes of the evidence files: mostly small, some large enough for a kill to land mid-stream. */
function evidenceSize(): number {
  const r = Math.random();
  return r < 0.8 ? 256 + Math.floor(Math.random() * 8192) : 256 * 1024 + Math.floor(Math.random() * 768 * 1024);
}

/** A 4xx answer other than a throttle or timeout: the gateway refused, nothing to retry. */
function isRefusal(e: unknown): e is GatewayRequestError {
  return e instanceof GatewayRequestError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429;
}

/**
 * Writers against the MX gateway: `requestWriters` loops creating MX → US requests and `uploadWriters`
 * loops uploading evidence under the rig's requests in execution. `resume()` lets them run against the
 * gateway now up; `halt()` stops new steps (a step in flight finishes or fails).
 */
export class Workload {
  readonly writes: Write[] = [];
  readonly #retries: Write[] = [];
  #running = false;
  #writers: Promise<void>[] = [];
  #sessions?: { authority: GatewaySession; agency: GatewaySession };
  /** Answers (201, 202) received so far, and who waits for a count. */
  #answers = 0;
  #waiters: { at: number; resolve: () => void }[] = [];
  #indexedRigRequests = false;

  constructor(
    private readonly rig: CrashRig,
    private readonly options: { requestWriters: number; uploadWriters: number },
  ) {}

  /** Signs in (once: sessions live in the gateway's store and survive its restarts). */
  private async sessions(url: string): Promise<{ authority: GatewaySession; agency: GatewaySession }> {
    const mx = this.rig.net.consortium.states.MX!;
    this.#sessions ??= { authority: await connectGateway(url, mx.authority), agency: await connectGateway(url, mx.agency) };
    return this.#sessions;
  }

  /** Signs the two accounts in at the gateway at `url` (sessions survive its restarts). */
  async signIn(url: string): Promise<void> {
    await this.sessions(url);
  }

  /**
   * Starts the writers against the gateway at `url` (signed in before). The first time, waits until the
   * gateway shows the rig's requests: they were put in execution straight on the ledger, and a gateway
   * that has not indexed them yet rightly answers 404 to an upload under them.
   */
  async resume(url: string): Promise<void> {
    const { agency } = await this.sessions(url);
    if (!this.#indexedRigRequests) {
      for (const id of this.rig.requestsInExecution) {
        for (;;) {
          const seen = await agency.call<{ status: string }>("GET", `/v1/requests/${id}`).then((r) => r.status === "InExecution", () => false);
          if (seen) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      this.#indexedRigRequests = true;
    }
    this.#running = true;
    const kinds: Write["kind"][] = [
      ...Array<Write["kind"]>(this.options.requestWriters).fill("request"),
      ...Array<Write["kind"]>(this.options.uploadWriters).fill("evidence"),
    ];
    this.#writers = kinds.map((k) => this.writer(k));
  }

  /** Stops issuing steps and waits for those in flight. */
  async halt(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#writers.splice(0));
  }

  /** With the gateway up and no writer running: retries what is owed until nothing is (each unanswered step again). */
  async settle(): Promise<void> {
    while (this.#retries.length > 0) {
      const w = this.#retries.shift()!;
      await this.step(w, true);
    }
  }

  /** Resolves once `n` more answers (a 201 or a 202) have come back: the writes are flowing. */
  answered(n: number): Promise<void> {
    const at = this.#answers + n;
    return n <= 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push({ at, resolve }));
  }

  private answer(): void {
    this.#answers += 1;
    this.#waiters = this.#waiters.filter((w) => (w.at <= this.#answers ? (w.resolve(), false) : true));
  }

  /** Writes waiting for a retry. */
  get owed(): number {
    return this.#retries.length;
  }

  private async writer(kind: Write["kind"]): Promise<void> {
    while (this.#running) {
      const i = this.#retries.findIndex((w) => w.kind === kind);
      const w = i >= 0 ? this.#retries.splice(i, 1)[0]! : this.newWrite(kind);
      await this.step(w, false);
    }
  }

  private newWrite(kind: Write["kind"]): Write {
    const id = "0x" + randomBytes(32).toString("hex");
    const requests = this.rig.requestsInExecution;
    const w: Write =
      kind === "request"
        ? { kind, id, attempts: 0, uploadAcked: false, signUnanswered: false }
        : {
            kind,
            id,
            requestId: requests[Math.floor(Math.random() * requests.length)],
            body: randomBytes(evidenceSize()),
            attempts: 0,
            uploadAcked: false,
            signUnanswered: false,
          };
    this.writes.push(w);
    this.rig.written.add(id);
    return w;
  }

  /**
   * One client step on a write: create / upload (and sign), or only sign. An unanswered step goes back in
   * the retry queue; `settling` retries until the write is acknowledged or left.
   */
  private async step(w: Write, settling: boolean): Promise<void> {
    const s = this.#sessions!;
    try {
      if (!w.prepared) {
        if (w.attempts >= MAX_ATTEMPTS) return;
        w.attempts += 1;
        if (w.kind === "request") {
          const answer = await s.authority.call<{ intent: Intent }>("POST", "/v1/requests", {
            requestId: w.id,
            dossier: dossierFor(this.rig.net, "MX", "US"),
          });
          w.prepared = answer.intent;
          this.answer();
        } else {
          // The SDK uploads and then signs through `session.sign`: watching it shows the 201.
          const watched: GatewaySession = {
            ...s.agency,
            sign: (intent, wait) => {
              w.prepared = intent;
              w.payloadDigest = intent.documentDigest ?? undefined;
              w.uploadAcked = true;
              w.signUnanswered = true;
              this.answer();
              return s.agency.sign(intent, wait);
            },
          };
          const uploaded = await uploadEvidence(watched, w.requestId!, Readable.from([w.body!]), {
            fileName: `exhibit-${w.id.slice(2, 10)}.bin`,
            mediaType: "application/octet-stream",
            evidenceId: w.id,
          }, "none");
          w.payloadDigest = uploaded.payloadDigest;
          w.acked = uploaded.intent;
          w.signUnanswered = false;
          this.answer();
          return;
        }
      }
      await this.sign(w, w.kind === "request" ? s.authority : s.agency);
    } catch (e) {
      if (isRefusal(e)) {
        w.refused = `${e.shortMessage} ${JSON.stringify(e.problem ?? {})}`;
        return;
      }
      if (w.prepared || w.attempts < MAX_ATTEMPTS) this.#retries.push(w);
      if (settling) await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async sign(w: Write, session: GatewaySession): Promise<void> {
    let intent = w.prepared!;
    // The first answer may have been lost after the gateway renumbered or queued the intent: sign what it holds now.
    if (w.signUnanswered) intent = await session.call<Intent>("GET", `/v1/intents/${intent.id}`);
    w.signUnanswered = true;
    w.acked = await session.sign(intent, "none");
    w.signUnanswered = false;
    this.answer();
  }
}
