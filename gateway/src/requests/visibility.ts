import type { GatewayContext } from "../context";
import { notFound } from "../http/errors";
import type { RequestRow } from "../store/tables";

/** The request, if this gateway's state is one of its two parties; otherwise the same 404 as an absent one. */
export async function visibleRequest(ctx: GatewayContext, requestId: string): Promise<RequestRow> {
  const row = await ctx.store.db.selectFrom("requests").selectAll().where("request_id", "=", requestId.toLowerCase()).executeTakeFirst();
  if (!row || (row.requesting_state !== ctx.config.state && row.requested_state !== ctx.config.state)) {
    throw notFound("request", requestId);
  }
  return row;
}

/** The other party of a request, seen from this gateway's state. */
export function counterpartOf(row: RequestRow, state: string): string {
  return row.requesting_state === state ? row.requested_state : row.requesting_state;
}
