/**
 * Crash safety at each crash window: the MX gateway runs with one failpoint armed (`MLAT_FAILPOINTS`,
 * `<point>=kill@<n>`) under the same concurrent uploads and request creations, SIGKILLs itself the n-th
 * time the point is reached, and restarts — round after round, n varying. Then every promise is checked
 * (see checks.ts). Each round also proves that the kill came from the armed point.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAILPOINTS, type FailpointName } from "../../../gateway/src/failpoints";
import type { GatewayProcess } from "../../../scripts/lib/gatewayProcess";
import type { StoreKind } from "../../helpers/gateways";
import { crashScaled } from "../../helpers/scale";
import { clean, describeViolations, recordsWithoutBlobs, restartAndCheck } from "./checks";
import { exited, startCrashRig, type CrashRig } from "./rig";
import { isAcknowledged, Workload } from "./workload";

/**
 * Rounds per store: under `npm run test:crash` the windows the issue names get 25 per store (50 in all),
 * the others a few; `npm test` runs a fifth of that.
 */
const ROUNDS: Record<FailpointName, number> = {
  "blob.afterRename": crashScaled(5, 25, 250),
  "evidence.afterBlobs": crashScaled(1, 3, 50),
  "intent.afterCommit": crashScaled(5, 25, 250),
  "signature.afterCommit": crashScaled(5, 25, 250),
  "outbox.afterClaim": crashScaled(1, 3, 50),
  "tx.beforeBroadcast": crashScaled(1, 3, 50),
  "tx.afterBroadcast": crashScaled(5, 25, 250),
  "relay.afterReceipt": crashScaled(1, 3, 50),
  "outbox.beforeComplete": crashScaled(1, 3, 50),
};

/** The suite on one store (one test file per store, so the two run side by side). */
export function failpointsSuite(store: StoreKind): void {
  describe(`crash safety: SIGKILL at each failpoint during concurrent uploads and request creations (${store})`, () => {
    let rig: CrashRig;
    let workload: Workload;
    beforeAll(async () => {
      rig = await startCrashRig(store);
      workload = new Workload(rig, { requestWriters: 2, uploadWriters: 2 });
      const gw = await rig.start();
      await workload.signIn(gw.url);
      await gw.stop();
    }, 600_000);
    afterAll(async () => {
      await rig?.close();
    });

    for (const point of Object.keys(FAILPOINTS) as FailpointName[]) {
      const rounds = ROUNDS[point];
      it(`${point} (${FAILPOINTS[point]}): killed there ${rounds} times, loses no acknowledged write, doubles nothing, leaves no orphan`, async () => {
        const started = Date.now();
        const spec = (round: number) => `${point}=kill@${1 + (round % 3)}`;
        let next = rig.standby(spec(0));
        for (let round = 0; round < rounds; round++) {
          let gw: GatewayProcess | undefined;
          try {
            gw = await next.start();
          } catch (e) {
            // Killed during its start (recovering the previous round's work reached the point): a kill too.
            expect(String(e)).toContain(`failpoint ${point} hit ${1 + (round % 3)}: kill`);
          }
          next = rig.standby(round + 1 < rounds ? spec(round + 1) : undefined);
          if (gw) {
            await workload.resume(gw.url);
            await exited(gw);
            await workload.halt();
            expect(gw.child.signalCode).toBe("SIGKILL");
            expect(gw.output()).toContain(`failpoint ${point} hit ${1 + (round % 3)}: kill`);
          }
          expect(await recordsWithoutBlobs(rig)).toEqual([]);
        }
        const { violations, tally, drainMs } = await restartAndCheck(rig, workload, next);
        console.log(
          `[crash:${store}] ${point}: ${rounds} kills, ${workload.writes.length} writes so far (${workload.writes.filter(isAcknowledged).length} acknowledged), ` +
            `outbox drained in ${drainMs} ms, ${Math.round((Date.now() - started) / 1000)} s ${JSON.stringify(tally)}`,
        );
        expect(clean(violations), describeViolations(violations)).toBe(true);
      }, 3_600_000);
    }
  });
}
