import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../../gateway/src/store/groupCommit";

/** A writer that records each batch it is given and can be told to fail on some items. */
function recorder(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const write = async (items: number[]) => {
    batches.push([...items]);
    await new Promise((r) => setTimeout(r, 5));
    const bad = items.find(fail);
    if (bad !== undefined) throw new Error(`item ${bad} refused`);
  };
  return { batches, write };
}

describe("GroupCommit.add", () => {
  it("writes the items added in the same turn of the event loop in one batch", async () => {
    const r = recorder();
    const g = new GroupCommit(r.write);
    await Promise.all([1, 2, 3, 4].map((i) => g.add(i)));
    expect(r.batches).toEqual([[1, 2, 3, 4]]);
  });

  it("resolves each caller only after the batch holding its item was written", async () => {
    const order: string[] = [];
    const g = new GroupCommit<number>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      order.push(`written ${items.join(",")}`);
    });
    await Promise.all([g.add(1).then(() => order.push("1 resolved")), g.add(2).then(() => order.push("2 resolved"))]);
    expect(order).toEqual(["written 1,2", "1 resolved", "2 resolved"]);
  });

  it("gathers the items that arrive during a write into the next batch", async () => {
    const r = recorder();
    const g = new GroupCommit(r.write);
    const first = g.add(1);
    await new Promise((res) => setImmediate(res));
    const later = [g.add(2), g.add(3)];
    await Promise.all([first, ...later]);
    expect(r.batches).toEqual([[1], [2, 3]]);
  });

  it("caps a batch at maxBatch items", async () => {
    const r = recorder();
    const g = new GroupCommit(r.write, 2);
    await Promise.all([1, 2, 3, 4, 5].map((i) => g.add(i)));
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("fails only the caller whose item cannot be written, and writes its neighbours", async () => {
    const r = recorder((i) => i === 2);
    const g = new GroupCommit(r.write);
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => g.add(i)));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error("item 2 refused"));
    expect(r.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it("keeps working after a failed batch", async () => {
    const r = recorder((i) => i === 1);
    const g = new GroupCommit(r.write);
    await expect(g.add(1)).rejects.toThrow("item 1 refused");
    await g.add(2);
    expect(r.batches).toEqual([[1], [2]]);
  });
});
