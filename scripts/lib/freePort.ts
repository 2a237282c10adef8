/**
 * Ports for servers this process starts (Hardhat nodes, gateways), chosen so that nothing else takes them
 * between the choice and the listen.
 *
 * A port from `listen(0)` comes from Linux's ephemeral range (32768–60999 here), the same range every outgoing
 * connection draws its source port from: a test that picks a port, founds a consortium for a few seconds and
 * then starts a gateway on it can find it taken by some client socket (a CI run failed so). Ports below that
 * range are never given to outgoing connections. Concurrent vitest workers take disjoint slices of it
 * (VITEST_POOL_ID), so two workers never pick the same port either; any other process takes a random slice.
 */
import { createServer } from "node:net";

const LOW = 20_000;
const HIGH = 32_000;
const SLICE = 500;
const SLICES = (HIGH - LOW) / SLICE;

/** Whether nothing listens on `port` at `host` now. */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** This process's slice of [LOW, HIGH): one per vitest worker, or a random one. */
function sliceStart(): number {
  const pool = Number(process.env.VITEST_POOL_ID);
  const index = Number.isInteger(pool) && pool > 0 ? (pool - 1) % SLICES : Math.floor(Math.random() * SLICES);
  return LOW + index * SLICE;
}

const start = sliceStart();
let offset = Math.floor(Math.random() * SLICE);

/**
 * The next free port of this process's slice, below the ephemeral range; with `count`, the first of `count`
 * consecutive free ports.
 * @example const port = await freePort();
 */
export async function freePort(host = "127.0.0.1", count = 1): Promise<number> {
  for (let tries = 0; tries < SLICE; tries++) {
    if (offset + count > SLICE) offset = 0;
    const base = start + offset;
    offset += count;
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map((p) => isPortFree(p, host)))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} free consecutive port(s) in ${start}–${start + SLICE - 1} on ${host}`);
}
