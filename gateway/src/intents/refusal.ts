import { decodeLedgerError, isLedgerRevert } from "../../../sdk/src/ledger/errors";
import type { GatewayContext } from "../context";
import type { IntentRow } from "../store/tables";

/**
 * Why the ledger refused a relayed call that a mined batch reports as failed. The forwarder's
 * `ExecutedForwardRequest` carries no revert data, so the call is simulated again as its signer on the
 * state that block left, and the ledger's custom error is decoded, e.g.
 * `ConsortiumUnauthorizedAccount(account=0x…, neededRoles=3)`. Undefined when the simulation now passes or
 * fails without a ledger error (the state moved on, or the node does not answer).
 * @example const why = await refusalOf(ctx, intent, receipt.blockNumber);
 */
export async function refusalOf(ctx: GatewayContext, intent: Pick<IntentRow, "actor" | "to_address" | "data">, blockNumber: number): Promise<string | undefined> {
  try {
    await ctx.chain.provider.call({ from: intent.actor, to: intent.to_address, data: intent.data, blockTag: blockNumber });
    return undefined;
  } catch (e) {
    const decoded = decodeLedgerError(e);
    if (!isLedgerRevert(decoded)) return undefined;
    const args = Object.entries(decoded.args).map(([k, v]) => `${k}=${String(v)}`);
    return `${decoded.errorName}(${args.join(", ")})`;
  }
}
