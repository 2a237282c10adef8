import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectGateway } from "../../../sdk/src/gateway/client";
import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { scaled } from "../../helpers/scale";
import { CODES, runSeed, seededRandom, startChainNetwork, STORE_OF, storedCheckpoint, type ChainNetwork, type Code } from "./chainNetwork";
import { indexMismatches } from "./indexAudit";
import { LedgerDriver } from "./ledgerDriver";

const ROUNDS = scaled(100, 500);
/** Confirmation depths, one per quarter of the rounds: half the rounds index the head itself. */
const CONFIRMATIONS = [0, 2, 0, 5];
/** Development accounts 9 and 10 belong to no state at founding (US takes 1–4, MX 5–8). */
const SPARES: Record<Code, number> = { US: 9, MX: 10 };
/** Polls a gateway gets to reach the head: each is one RPC round trip on an idle chain, so a few hundred mean stuck. */
const CATCH_UP_ATTEMPTS = 500;

describe(`the indexer under ${ROUNDS} random reorgs of depth 1–5 (US on ${STORE_OF.US}, MX on ${STORE_OF.MX})`, () => {
  let cn: ChainNetwork;
  beforeAll(async () => {
    // The test drives polls itself (see caughtUp); background polls every 250 ms still race the reorgs.
    cn = await startChainNetwork({ overrides: { pollIntervalMs: 250 } });
  });
  afterAll(async () => {
    await cn?.stop();
  });

  it(
    "holds exactly the canonical chain's events, block hashes, digests, request statuses, custodians and roles after every reorg",
    async () => {
      const seed = runSeed();
      // Printed first: a run that fails, or hangs, can be replayed with MLAT_CHAIN_SEED.
      console.info(`[chain faults] reorg fuzz seed ${seed} (replay: MLAT_CHAIN_SEED=${seed})`);
      const rng = seededRandom(seed);
      const driver = new LedgerDriver(cn.rpc, cn.net.consortium, rng, SPARES);
      const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
      // Each state's spare account signs in while it holds a role; its session outlives later revocations.
      for (const code of CODES) await driver.setSpareRole(code, true);
      await caughtUp(0);
      const tokens = {} as Record<Code, string>;
      for (const code of CODES) tokens[code] = (await connectGateway(cn.gateway(code).url, driver.sides[code].spare)).token;

      const spent = { steps: 0, waits: 0, audits: 0 };
      const timed = async <T>(what: keyof typeof spent, f: () => Promise<T>): Promise<T> => {
        const t = performance.now();
        try {
          return await f();
        } finally {
          spent[what] += performance.now() - t;
        }
      };
      const figures = { rounds: 0, byDepth: {} as Record<number, number>, reachedIndexed: 0, lagging: 0, mismatches: 0, roleChecks: 0 };
      let confirmations = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const conf = CONFIRMATIONS[Math.floor((round * CONFIRMATIONS.length) / ROUNDS)]!;
        if (conf !== confirmations) {
          for (const code of CODES) await cn.restart(code, { confirmations: conf });
          confirmations = conf;
        }
        const depth = randInt(1, 5);
        // A lagging indexer indexes a branch in one multi-block range (few stored hashes), then meets the reorg.
        const lagging = rng() < 0.25;
        if (lagging) for (const code of CODES) await cn.gateway(code).indexer.stop();
        const snapshot = await driver.rpc<string>("evm_snapshot");
        const forkBlock = await cn.rpc.getBlockNumber();
        await timed("steps", async () => {
          for (let i = 0; i < depth; i++) await driver.step();
        });
        const orphanedBlocks = await Promise.all(Array.from({ length: depth }, (_, i) => cn.rpc.getBlock(forkBlock + 1 + i).then((b) => b!)));
        const orphaned = orphanedBlocks.map((b) => b.hash!);
        if (lagging) for (const code of CODES) await cn.gateway(code).indexer.poll();
        else if (rng() < 0.8) await timed("waits", () => caughtUp(conf));
        const before = await Promise.all(CODES.map((c) => storedCheckpoint(cn.gateway(c))));
        if (before.some((cp) => cp > forkBlock)) figures.reachedIndexed++;

        expect(await driver.rpc("evm_revert", [snapshot])).toBe(true);
        // The first replacing block a second later than the block it replaces, so it differs even with the
        // same transactions; each later one differs by its parent. (evm_increaseTime is not enough: blocks
        // mined faster than one a second run ahead of the clock, and both branches get parent + 1.)
        await driver.rpc("evm_setNextBlockTimestamp", [orphanedBlocks[0]!.timestamp + 1]);
        const replacing = Math.max(1, depth + randInt(-1, 2));
        await timed("steps", async () => {
          for (let i = 0; i < replacing; i++) await driver.step();
        });
        await driver.mine(conf);
        for (let i = 0; i < Math.min(depth, replacing); i++) {
          expect((await cn.rpc.getBlock(forkBlock + 1 + i))!.hash, `round ${round}: block ${forkBlock + 1 + i} was not replaced`).not.toBe(orphaned[i]);
        }
        if (lagging) for (const code of CODES) cn.gateway(code).indexer.start();
        await timed("waits", () => caughtUp(conf));

        // Every tenth round and the last compare the whole index; the others what lies above the fork.
        const whole = round % 10 === 9 || round === ROUNDS - 1;
        await timed("audits", () => Promise.all(
          CODES.map(async (code) => {
            const { checkpoint, mismatches } = await indexMismatches(cn.gateway(code), cn.rpc, whole ? 0 : forkBlock - 5);
            figures.mismatches += mismatches.length;
            expect(mismatches, `seed ${seed}, round ${round} (depth ${depth}, ${replacing} replacing blocks, confirmations ${conf}${lagging ? ", lagging" : ""}), ${code} on ${STORE_OF[code]} at block ${checkpoint}`).toEqual([]);
            // The role cache: the spare's old session is served exactly while the chain says it holds a role.
            const [stateBytes, roles] = await driver.read.consortium.accountOf(driver.sides[code].spare.address);
            const member = Number(roles) !== 0 && BigInt(stateBytes) !== 0n && fromStateBytes(stateBytes) === code;
            const res = await fetch(`${cn.gateway(code).url}/v1/requests?limit=1`, { headers: { authorization: `Bearer ${tokens[code]}` } });
            expect(res.status, `seed ${seed}, round ${round}: ${code}'s spare account ${member ? "holds" : "lost"} its role`).toBe(member ? 200 : 403);
            figures.roleChecks++;
          }),
        ));
        figures.rounds++;
        figures.byDepth[depth] = (figures.byDepth[depth] ?? 0) + 1;
        if (lagging) figures.lagging++;
      }
      console.info(`[chain faults] reorg fuzz seed ${seed}: ${JSON.stringify({ ...figures, msSpent: spent, steps: driver.counts })}`);
      expect(figures.rounds).toBe(ROUNDS);
      // Most reorgs must have hit data the indexer already held, or the test proves little.
      expect(figures.reachedIndexed).toBeGreaterThan(ROUNDS / 3);
    },
    60 * 60_000,
  );

  /**
   * Waits until each gateway finished a poll that started after the chain last changed, without error, at
   * or past the head less `conf` blocks: the indexer has seen the current chain (a checkpoint number alone
   * could still be the orphaned branch's; a poll rolls back any stored block the chain replaced).
   */
  async function caughtUp(conf: number): Promise<void> {
    const head = await cn.rpc.getBlockNumber();
    await Promise.all(
      CODES.map(async (code) => {
        const indexer = cn.gateway(code).indexer;
        for (let attempt = 1; ; attempt++) {
          await indexer.poll();
          await indexer.poll();
          const checkpoint = await storedCheckpoint(cn.gateway(code));
          // At or past the confirmed head: past it when the confirmations just grew (a gateway restarted
          // with more keeps the blocks it indexed with fewer, and waits for the chain to pass them).
          if (indexer.lastError === undefined && checkpoint >= head - conf) return;
          if (attempt === CATCH_UP_ATTEMPTS) {
            throw new Error(`${code} did not catch up after ${attempt} polls: checkpoint ${checkpoint}, head ${head}, confirmations ${conf}, last error ${indexer.lastError ?? "none"}`);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
  }
});
