/**
 * Runs `task` after every task queued before it under the same `key` has settled (one at a time per
 * key, inside this process), and forgets the key once its queue is empty.
 * @example const perAccount = new Map(); await serially(perAccount, address.toLowerCase(), () => prepareNow());
 */
export function serially<T>(queues: Map<string, Promise<unknown>>, key: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return run;
}
