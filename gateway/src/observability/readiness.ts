import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { GatewayContext } from "../context";
import type { Indexer } from "../indexer/indexer";
import { storeReachable } from "../store/database";

/** Each check gives up after this long (a hung dependency is not ready). */
const CHECK_TIMEOUT_MS = 3_000;
/** Blocks of indexer lag tolerated on top of the confirmation depth. */
export const READY_EXTRA_LAG_BLOCKS = 20;

/** One readiness check's outcome. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** The answer of `/readyz`. */
export interface Readiness {
  ready: boolean;
  checks: { chain: CheckResult; indexer: CheckResult; store: CheckResult; blobs: CheckResult };
  /** The failing checks' details. */
  reasons: string[];
}

/**
 * Whether this replica can serve: the chain node answers, the indexer is within `confirmations + 20`
 * blocks of the head, the store answers a query, and the blob directory is writable.
 * @example const r = await checkReadiness(ctx, indexer); res.status(r.ready ? 200 : 503).json(r);
 */
export async function checkReadiness(ctx: GatewayContext, indexer: Pick<Indexer, "checkpoint" | "lag" | "lastError">): Promise<Readiness> {
  const maxLag = ctx.config.confirmations + READY_EXTRA_LAG_BLOCKS;
  const [chain, store, blobs] = await Promise.all([
    check(async () => {
      const head = Number(await ctx.chain.provider.send("eth_blockNumber", []));
      return `head at block ${head}`;
    }, "the chain node does not answer"),
    check(async () => {
      if (!(await storeReachable(ctx.store))) throw new Error("no answer");
      return `${ctx.store.dialect} answers`;
    }, "the store does not answer"),
    check(async () => {
      await access(join(ctx.config.blobDir, "tmp"), constants.W_OK);
      return "writable";
    }, "the blob directory is not writable"),
  ]);
  const lagOk = indexer.checkpoint >= 0 && indexer.lag <= maxLag;
  const indexerResult: CheckResult = {
    ok: lagOk,
    detail:
      `checkpoint ${indexer.checkpoint}, lag ${indexer.lag} block(s) (at most ${maxLag})` +
      (indexer.lastError ? `; last poll failed: ${indexer.lastError}` : ""),
  };
  const checks = { chain, indexer: indexerResult, store, blobs };
  const reasons = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([name, c]) => `${name}: ${c.detail}`);
  return { ready: reasons.length === 0, checks, reasons };
}

async function check(probe: () => Promise<string>, failure: string): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return { ok: true, detail: await Promise.race([probe(), timeout]) };
  } catch {
    return { ok: false, detail: failure };
  } finally {
    clearTimeout(timer);
  }
}
