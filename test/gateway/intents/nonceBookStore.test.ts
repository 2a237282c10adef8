import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GatewayContext } from "../../../gateway/src/context";
import { executedNonces, holdStart, readNonceBook, waitStart } from "../../../gateway/src/intents/nonceBookStore";
import { openStore, type Store } from "../../../gateway/src/store/database";
import type { IntentRow } from "../../../gateway/src/store/tables";

const ACTOR = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
const HOLD_MS = 300_000;

function intent(nonce: number, fields: Partial<IntentRow>): IntentRow {
  return {
    id: `0x${nonce.toString(16).padStart(32, "0")}`,
    kind: "request.submit",
    actor: ACTOR,
    actor_state: "MX",
    request_id: null,
    evidence_id: null,
    to_address: "0x" + "11".repeat(20),
    data: "0x",
    gas: "100000",
    nonce: String(nonce),
    deadline: 0,
    document_digest: null,
    signature: null,
    status: "awaiting-signature",
    tx_hash: null,
    block_number: null,
    error: null,
    created_at: 0,
    updated_at: 0,
    ...fields,
  };
}

describe("the nonce book in the store", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore("sqlite::memory:");
  });
  afterEach(async () => {
    await store.close();
  });

  /** A context whose node does not answer (the only part of the chain these functions touch). */
  const nodeDown = () =>
    ({
      store,
      chain: { contracts: { forwarder: { nonces: () => Promise.reject(new Error("connect ECONNREFUSED")) } } },
    }) as unknown as GatewayContext;

  it("counts executed nonces past the highest one mined, when several were mined in the latest block (node down)", async () => {
    // One batch mined nonces 3–6 in block 12; the row stored last is not the highest nonce.
    for (const [nonce, block] of [[0, 10], [1, 10], [2, 11], [4, 12], [6, 12], [3, 12], [5, 12]] as const) {
      await store.db.insertInto("intents").values(intent(nonce, { status: "mined", block_number: block })).execute();
    }
    expect(await executedNonces(nodeDown(), ACTOR)).toBe(7n);
  });

  it("counts no executed nonce for an account with nothing mined (node down)", async () => {
    await store.db.insertInto("intents").values(intent(0, { status: "queued" })).execute();
    expect(await executedNonces(nodeDown(), ACTOR)).toBe(0n);
  });

  it("lets an unsigned intent prepared before a restart hold its nonce for the relay, not against new claims", async () => {
    const now = 1_000_000_000;
    const ctx = { config: { intentHoldMs: HOLD_MS }, startedAt: now - 1_000 };
    await store.db.insertInto("intents").values(intent(30, { updated_at: now - 5_000 })).execute(); // before the restart
    await store.db.insertInto("intents").values(intent(31, { status: "queued", updated_at: now - 4_000 })).execute();
    await store.db.insertInto("intents").values(intent(32, { updated_at: now - 500 })).execute(); // after it
    await store.db.insertInto("intents").values(intent(33, { updated_at: now - HOLD_MS - 1 })).execute(); // too old
    const claims = await readNonceBook(store.db, ACTOR, { heldSince: holdStart(ctx, now) });
    const waits = await readNonceBook(store.db, ACTOR, { heldSince: waitStart(ctx, now) });
    expect([...claims].sort()).toEqual([31n, 32n]);
    expect([...waits].sort()).toEqual([30n, 31n, 32n]);
  });
});
