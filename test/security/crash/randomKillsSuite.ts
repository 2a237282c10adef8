/**
 * Crash safety, kill -9 at random moments: MX's central authority creates requests and its agency uploads
 * evidence, concurrently and without pause, while the MX gateway process is SIGKILLed at a random moment
 * and restarted, round after round. After each phase the gateway restarts once more, the clients finish
 * what they owe, and every promise is checked (see checks.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreKind } from "../../helpers/gateways";
import { crashScaled } from "../../helpers/scale";
import { clean, describeViolations, recordsWithoutBlobs, restartAndCheck } from "./checks";
import { startCrashRig, type CrashRig } from "./rig";
import { isAcknowledged, Workload } from "./workload";

/** Kill rounds per store (`npm run test:crash`: 100 per store, 200 in all; `npm test`: 20), in phases checked in full. */
const ROUNDS = crashScaled(20, 100, 500);
const PHASES = crashScaled(2, 4, 10);
/**
 * When a kill lands: a quarter of the rounds at a random moment within this (ms) of the restarted gateway
 * answering (its start-up recovery, the first writes); the others once 1–4 answers have come back (the
 * writes flow, whatever the machine's speed) plus a random delay up to this, with other writes in flight.
 */
const KILL_WITHIN_MS = 400;

/** Waits for the moment of a kill (see {KILL_WITHIN_MS}). */
async function killMoment(workload: Workload): Promise<void> {
  if (Math.random() >= 0.25) await workload.answered(1 + Math.floor(Math.random() * 4));
  await new Promise((r) => setTimeout(r, Math.random() * KILL_WITHIN_MS));
}

/** The suite on one store (one test file per store, so the two run side by side). */
export function randomKillsSuite(store: StoreKind): void {
  describe(`crash safety: SIGKILL at random moments during concurrent uploads and request creations (${store})`, () => {
    let rig: CrashRig;
    beforeAll(async () => {
      rig = await startCrashRig(store);
    }, 600_000);
    afterAll(async () => {
      await rig?.close();
    });

    it(`loses no acknowledged write, doubles nothing, leaves no orphan, and empties the outbox within 60 s, over ${ROUNDS} kills`, async () => {
      const workload = new Workload(rig, {
        requestWriters: 3,
        uploadWriters: 3,
      });
      const figures = {
        kills: 0,
        maxDrainMs: 0,
        startMs: 0,
        phases: [] as unknown[],
      };
      const started = Date.now();
      for (let phase = 0; phase < PHASES; phase++) {
        const rounds = Math.round(ROUNDS / PHASES);
        let next = rig.standby();
        for (let round = 0; round < rounds; round++) {
          const t0 = Date.now();
          const gw = await next.start();
          figures.startMs += Date.now() - t0;
          next = rig.standby();
          await workload.resume(gw.url);
          await killMoment(workload);
          const halted = workload.halt();
          await gw.kill();
          await halted;
          figures.kills++;
          // A record never lacks its blob, at any moment.
          expect(await recordsWithoutBlobs(rig)).toEqual([]);
        }
        const { violations, tally, drainMs } = await restartAndCheck(rig, workload, next);
        figures.maxDrainMs = Math.max(figures.maxDrainMs, drainMs);
        figures.phases.push({ phase, drainMs, ...tally });
        expect(clean(violations), describeViolations(violations)).toBe(true);
      }
      const acked = workload.writes.filter(isAcknowledged).length;
      console.log(
        `[crash:${store}] random kills: ${figures.kills} kills, ${workload.writes.length} writes (${acked} acknowledged), ` +
          `max outbox drain ${figures.maxDrainMs} ms, mean start ${Math.round(figures.startMs / figures.kills)} ms, ${Math.round((Date.now() - started) / 1000)} s\n${JSON.stringify(figures.phases)}`,
      );
    }, 3_600_000);
  });
}
