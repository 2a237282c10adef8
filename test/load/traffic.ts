/**
 * The mixed traffic of a load run: what agency software, central-authority desks and verifiers ask a
 * state's gateway, in what proportions, each simulated client with its own signed-in account.
 *
 * Rationale (docs/operations.md, "Load profile"): a gateway is read far more than it is written.
 * Central authorities work their request lists (filters, paging), open requests with their timelines,
 * read dossiers, and now and then file a request or extend a deadline — a prepared ledger call that the
 * client signs (EIP-712) and hands back, then polls. Agencies work the requests in execution and their
 * evidence (lists, metadata, downloads). Verifiers read the audit log and verification bundles. Load
 * balancers probe /healthz and /readyz. About 6 % of the calls belong to writes (prepare, sign, poll).
 *
 * Each client (autocannon connection) is a state machine: it draws its next call from its role's weights,
 * except that a prepared intent is always signed next and the signed intent polled after that. A call
 * answered with a status other than the one its endpoint promises is a failure of the run.
 */
import { TypedDataEncoder, type Wallet } from "ethers";
import type { Intent } from "../../sdk/src/gateway/client";
import type { Dataset } from "./dataset";

/** The roles of the simulated clients. */
export type ClientRole = "authority" | "agency" | "verifier";

/** The calls the traffic is made of. */
export type OpName =
  | "requests.list"
  | "requests.read"
  | "requests.dossier"
  | "evidence.list"
  | "evidence.read"
  | "evidence.content"
  | "evidence.bundle"
  | "audit.list"
  | "requirements"
  | "healthz"
  | "readyz"
  | "requests.create"
  | "requests.extend-deadline"
  | "intents.sign"
  | "intents.read";

/** How often each role draws each call (relative weights; sign and poll follow every prepared write). */
export const MIX: Record<ClientRole, Partial<Record<OpName, number>>> = {
  authority: {
    "requests.list": 24,
    "requests.read": 22,
    "requests.dossier": 10,
    "evidence.list": 7,
    "evidence.read": 7,
    "audit.list": 6,
    requirements: 2,
    healthz: 1,
    readyz: 1,
    "requests.create": 3,
    "requests.extend-deadline": 2,
  },
  agency: {
    "requests.list": 22,
    "requests.read": 20,
    "requests.dossier": 5,
    "evidence.list": 18,
    "evidence.read": 22,
    "evidence.content": 4,
    healthz: 1,
  },
  verifier: {
    "audit.list": 40,
    "evidence.read": 20,
    "evidence.bundle": 10,
    "requests.read": 20,
    "requests.list": 10,
  },
};

/** The simulated clients of each role (50 in all, as the issue asks). */
export const CLIENTS: Record<ClientRole, number> = { authority: 20, agency: 24, verifier: 6 };

/** One HTTP call as autocannon sends it, with the status its endpoint answers on success. */
interface Call {
  method: "GET" | "POST";
  path: string;
  body?: string;
  expect: number;
}

/** What a client knows between calls. */
export interface ClientState {
  role: ClientRole;
  token: string;
  wallet: Wallet;
  /** US → MX requests whose deadline only this client extends (so its extensions stay increasing). */
  own: string[];
  /** The next response deadline this client sets (unix seconds, increasing). */
  respondBy: number;
  /** A prepared intent awaiting this client's signature. */
  prepared?: Intent;
  /** The last intent this client signed, to poll once. */
  signed?: string;
  /** The cursor of the last list page, to follow sometimes. */
  cursor?: { op: OpName; query: string; next: string };
  /** The query of the list call in flight (without its cursor). */
  query?: string;
  /** The call in flight. */
  current?: OpName;
  /** The call before it (the one a timeout cut off: autocannon sends the next call before reporting it). */
  previous?: OpName;
}

/** Per-call counts, latencies and failures of a run. */
export interface TrafficLog {
  /** Calls sent, by op. */
  sent: Partial<Record<OpName, number>>;
  /** Calls that timed out, by op. */
  timeouts: Partial<Record<OpName, number>>;
  /** Calls answered, by op. */
  counts: Partial<Record<OpName, number>>;
  latencies: Partial<Record<OpName, number[]>>;
  failures: { op: OpName; status: number; body: string }[];
  /** Intents signed during the run, with the token of the client that signed them (each must end mined). */
  signed: { intent: string; token: string }[];
}

const STATUSES = ["Submitted", "Acknowledged", "ClarificationRequested", "Accepted", "PartiallyAccepted", "Refused", "InExecution", "Executed", "Closed", "Withdrawn"];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const chance = (p: number) => Math.random() < p;

/** Draws an op by weight. */
function draw(weights: Partial<Record<OpName, number>>): OpName {
  const entries = Object.entries(weights) as [OpName, number][];
  let r = Math.random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [op, w] of entries) if ((r -= w) < 0) return op;
  return entries.at(-1)![0];
}

/** A list query as each role filters: statuses, direction, counterpart, overdue, recent changes, paging. */
function listQuery(role: ClientRole): string {
  const q = new URLSearchParams();
  if (role === "agency") {
    q.set("status", chance(0.7) ? "InExecution" : pick(["Accepted", "Executed"]));
    q.set("role", "requested");
  } else {
    const f = Math.random();
    if (f < 0.35) q.set("status", pick(STATUSES));
    else if (f < 0.5) q.set("role", pick(["requesting", "requested"]));
    else if (f < 0.6) q.set("counterpart", "MX");
    else if (f < 0.7) q.set("overdue", pick(["acknowledgement", "response", "any"]));
    else if (f < 0.8) q.set("updatedSince", new Date(Date.now() - 3600_000).toISOString());
  }
  q.set("limit", String(pick([20, 50])));
  return q.toString();
}

/** An audit query: the newest page, one subject's entries, or one action's. */
function auditQuery(data: Dataset): string {
  const q = new URLSearchParams({ limit: String(pick([20, 50, 100])) });
  const f = Math.random();
  if (f < 0.3) q.set("subject", pick(data.requests).requestId);
  else if (f < 0.45) q.set("action", pick(["request.dossier.decrypt", "evidence.manifest.decrypt", "evidence.content.decrypt"]));
  return q.toString();
}

/** A request id to read, one in three from those with evidence (the ones agencies work on). */
function requestId(data: Dataset, withEvidence: boolean): string {
  const pool = withEvidence ? data.requests.filter((r) => r.evidence.length > 0) : data.requests;
  return pick(pool).requestId;
}

/**
 * The traffic of one run over `data`: `next(client)` builds a client's next call, `done(...)` records its
 * answer. `createBody` is the JSON of a request creation (a 10 KB dossier).
 * @example const t = traffic(data, JSON.stringify({ dossier }));
 */
export function traffic(data: Dataset, createBody: string) {
  const log: TrafficLog = { sent: {}, timeouts: {}, counts: {}, latencies: {}, failures: [], signed: [] };
  const withEvidence = data.requests.filter((r) => r.evidence.length > 0);

  const build = (c: ClientState, op: OpName): Call => {
    switch (op) {
      case "requests.list": {
        const page = c.cursor?.op === op && chance(0.5) ? c.cursor : undefined;
        c.query = page?.query ?? listQuery(c.role);
        return { method: "GET", path: `/v1/requests?${c.query}${page ? `&cursor=${page.next}` : ""}`, expect: 200 };
      }
      case "requests.read":
        return { method: "GET", path: `/v1/requests/${requestId(data, c.role === "agency" && chance(0.5))}`, expect: 200 };
      case "requests.dossier":
        return { method: "GET", path: `/v1/requests/${requestId(data, false)}/dossier`, expect: 200 };
      case "evidence.list":
        return { method: "GET", path: `/v1/requests/${pick(chance(0.7) ? withEvidence : data.requests).requestId}/evidence`, expect: 200 };
      case "evidence.read":
        return { method: "GET", path: `/v1/evidence/${pick(data.evidence)}`, expect: 200 };
      case "evidence.content":
        return { method: "GET", path: `/v1/evidence/${pick(data.content)}/content`, expect: 200 };
      case "evidence.bundle":
        return { method: "GET", path: `/v1/evidence/${pick(data.content)}/bundle`, expect: 200 };
      case "audit.list": {
        const page = c.cursor?.op === op && chance(0.3) ? c.cursor : undefined;
        c.query = page?.query ?? auditQuery(data);
        return { method: "GET", path: `/v1/audit?${c.query}${page ? `&cursor=${page.next}` : ""}`, expect: 200 };
      }
      case "requirements":
        return { method: "GET", path: "/v1/requirements", expect: 200 };
      case "healthz":
        return { method: "GET", path: "/healthz", expect: 200 };
      case "readyz":
        return { method: "GET", path: "/readyz", expect: 200 };
      case "requests.create":
        return { method: "POST", path: "/v1/requests", body: createBody, expect: 201 };
      case "requests.extend-deadline": {
        c.respondBy += 3600;
        const body = { respondBy: new Date(c.respondBy * 1000).toISOString(), document: { reason: "records held by a third bank" } };
        return { method: "POST", path: `/v1/requests/${pick(c.own)}/extend-deadline`, body: JSON.stringify(body), expect: 201 };
      }
      case "intents.sign": {
        const t = c.prepared!.typedData;
        const signature = c.wallet.signingKey.sign(TypedDataEncoder.hash(t.domain, t.types, t.message)).serialized;
        return { method: "POST", path: `/v1/intents/${c.prepared!.id}/signature?wait=none`, body: JSON.stringify({ signature }), expect: 202 };
      }
      case "intents.read":
        return { method: "GET", path: `/v1/intents/${c.signed!}`, expect: 200 };
    }
  };

  /** The op a client sends next: sign what it prepared, poll what it signed, else draw. */
  const nextOp = (c: ClientState): OpName => {
    if (c.prepared) return "intents.sign";
    if (c.signed) return "intents.read";
    const op = draw(MIX[c.role]);
    return op === "requests.extend-deadline" && c.own.length === 0 ? "requests.create" : op;
  };

  return {
    log,
    /** The call of `op` for `c` (for a tool that picks the op itself). */
    callOf(c: ClientState, op: OpName): Call {
      c.previous = c.current;
      c.current = op;
      return build(c, op);
    },
    /** The next call of `c`. */
    next(c: ClientState): Call {
      const op = nextOp(c);
      c.previous = c.current;
      c.current = op;
      log.sent[op] = (log.sent[op] ?? 0) + 1;
      return build(c, op);
    },
    /** Records the answer to `c`'s call in flight. */
    done(c: ClientState, status: number, body: string, expected: number): void {
      const op = c.current!;
      log.counts[op] = (log.counts[op] ?? 0) + 1;
      if (op === "intents.sign") c.prepared = undefined;
      else if (op === "intents.read") c.signed = undefined;
      if (status !== expected) {
        if (log.failures.length < 50) log.failures.push({ op, status, body: body.slice(0, 400) });
        else log.failures.push({ op, status, body: "" });
        return;
      }
      if (op === "requests.create" || op === "requests.extend-deadline") c.prepared = (JSON.parse(body) as { intent: Intent }).intent;
      else if (op === "intents.sign") {
        c.signed = (JSON.parse(body) as Intent).id;
        log.signed.push({ intent: c.signed, token: c.token });
      } else if (op === "requests.list" || op === "audit.list") {
        const next = (JSON.parse(body) as { nextCursor: string | null }).nextCursor;
        c.cursor = next ? { op, query: c.query!, next } : undefined;
      }
    },
    /** Records that `c`'s previous call timed out (autocannon has already sent the next one). */
    timedOut(c: ClientState): void {
      if (c.previous) log.timeouts[c.previous] = (log.timeouts[c.previous] ?? 0) + 1;
    },
    /** Records the latency of `c`'s call in flight. */
    latency(c: ClientState, ms: number): void {
      (log.latencies[c.current!] ??= []).push(ms);
    },
  };
}
