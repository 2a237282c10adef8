/** The demo's closing tables: a request's timeline and an evidence item's custody chain. */
import type { CustodyEventView } from "../../../gateway/src/evidence/view";
import type { TimelineEntry } from "../../../gateway/src/requests/view";
import { formatTable } from "../start/table";

const short = (hex: string | null) => (hex ? `${hex.slice(0, 10)}…` : "");
const time = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

/**
 * The timeline of a request (`GET /v1/requests/{id}` → `timeline`), one on-chain event a row.
 * @example process.stdout.write(timelineTable(request.timeline));
 */
export function timelineTable(timeline: readonly TimelineEntry[]): string {
  return formatTable(
    ["block", "time (chain)", "event", "status", "by", "document", "transaction"],
    timeline.map((t) => [String(t.blockNumber), time(t.at), t.event, t.status ?? "", t.actorState ?? "", short(t.documentDigest), short(t.transactionHash)]),
  );
}

/**
 * The custody chain of an evidence item (`GET /v1/evidence/{id}` → `custody`), with the running head.
 * @example process.stdout.write(custodyTable(evidence.custody));
 */
export function custodyTable(custody: readonly CustodyEventView[]): string {
  return formatTable(
    ["#", "block", "action", "by", "counterpart", "digest", "chain head", "transaction"],
    custody.map((c) => [
      String(c.sequence),
      String(c.blockNumber),
      c.action,
      `${c.actorState} ${short(c.actor)}`,
      c.counterpartState ?? "",
      short(c.digest),
      short(c.head),
      short(c.transactionHash),
    ]),
  );
}
