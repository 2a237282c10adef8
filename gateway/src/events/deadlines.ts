import type { Kysely } from "kysely";
import { RequestStatus } from "../../../sdk/src/ledger/types";
import { OPEN_STATUSES } from "../requests/view";
import type { RequestRow, Tables } from "../store/tables";
import type { DeadlineWarning } from "./messages";

/** Warnings remembered (so each is sent once); the oldest are forgotten first. */
const REMEMBERED = 10_000;

/**
 * Finds acknowledgement and response deadlines of this state's requests that pass within
 * `warnSeconds`, each (request, deadline kind, deadline time) reported once per process: an extended
 * deadline is a new deadline and warns again. The memory is bounded, in insertion order.
 * @example for (const w of await watcher.due()) hub.warn(w);
 */
export class DeadlineWatcher {
  readonly #sent = new Set<string>();

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly state: string,
    private readonly warnSeconds: number,
    private readonly remembered = REMEMBERED,
  ) {}

  /** The warnings due now that were not given before. */
  async due(nowSec = Math.floor(Date.now() / 1000)): Promise<DeadlineWarning[]> {
    const horizon = nowSec + this.warnSeconds;
    const rows = await this.db
      .selectFrom("requests")
      .selectAll()
      .where((eb) => eb.or([eb("requesting_state", "=", this.state), eb("requested_state", "=", this.state)]))
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", RequestStatus.Submitted), eb("acknowledge_by", ">", nowSec), eb("acknowledge_by", "<=", horizon)]),
          eb.and([eb("status", "in", OPEN_STATUSES), eb("respond_by", ">", nowSec), eb("respond_by", "<=", horizon)]),
        ]),
      )
      .orderBy("request_id")
      .limit(1000)
      .execute();
    const warnings: DeadlineWarning[] = [];
    for (const r of rows) {
      if (r.status === RequestStatus.Submitted && r.acknowledge_by > nowSec && r.acknowledge_by <= horizon) {
        this.add(warnings, r, "acknowledgement", r.acknowledge_by, nowSec);
      }
      if (OPEN_STATUSES.includes(r.status) && r.respond_by > nowSec && r.respond_by <= horizon) {
        this.add(warnings, r, "response", r.respond_by, nowSec);
      }
    }
    return warnings;
  }

  private add(out: DeadlineWarning[], r: RequestRow, deadline: DeadlineWarning["deadline"], dueSec: number, nowSec: number): void {
    const key = `${r.request_id}:${deadline}:${dueSec}`;
    if (this.#sent.has(key)) return;
    this.#sent.add(key);
    if (this.#sent.size > this.remembered) this.#sent.delete(this.#sent.values().next().value!);
    out.push({
      requestId: r.request_id,
      deadline,
      dueAt: new Date(dueSec * 1000).toISOString(),
      secondsLeft: dueSec - nowSec,
      requestingState: r.requesting_state,
      requestedState: r.requested_state,
      status: RequestStatus[r.status] ?? "Unknown",
    });
  }
}
