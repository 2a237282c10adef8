/**
 * The theoretical gas floor of a transaction: what the EVM charges at the least for the work the
 * transaction must do, with no execution overhead at all (Cancun schedule):
 *   21,000 (+ 32,000 and 2 per init-code word for a creation, + 200 per deployed code byte)
 *   + calldata (4 per zero byte, 16 per other byte)
 *   + each storage slot it changes, written cold (22,100 from zero, 5,000 otherwise)
 *   + each log (375 + 375 per topic + 8 per data byte).
 */
export interface StorageWrite {
  address: string;
  slot: string;
  original: bigint;
  final: bigint;
}

export interface LogShape {
  topics: number;
  dataBytes: number;
}

export interface FloorInput {
  calldata: Uint8Array;
  writes: readonly StorageWrite[];
  logs: readonly LogShape[];
  /** For a contract creation: the size of the code deployed. */
  deployedCodeBytes?: number;
}

export const G = {
  tx: 21_000,
  create: 32_000,
  initCodeWord: 2,
  codeDeposit: 200,
  zeroByte: 4,
  nonZeroByte: 16,
  coldSload: 2_100,
  sstoreSet: 20_000,
  sstoreReset: 2_900,
  log: 375,
  logTopic: 375,
  logByte: 8,
} as const;

export function calldataGas(data: Uint8Array): number {
  let gas = 0;
  for (const b of data) gas += b === 0 ? G.zeroByte : G.nonZeroByte;
  return gas;
}

/** The floor and the parts it is made of. */
export function gasFloor(input: FloorInput): { total: number; parts: Record<string, number> } {
  const parts: Record<string, number> = { base: G.tx, calldata: calldataGas(input.calldata), storage: 0, logs: 0 };
  if (input.deployedCodeBytes !== undefined) {
    parts.create = G.create + G.initCodeWord * Math.ceil(input.calldata.length / 32);
    parts.codeDeposit = G.codeDeposit * input.deployedCodeBytes;
  }
  for (const w of input.writes) {
    if (w.original === w.final) continue;
    parts.storage! += G.coldSload + (w.original === 0n ? G.sstoreSet : G.sstoreReset);
  }
  for (const l of input.logs) parts.logs! += G.log + G.logTopic * l.topics + G.logByte * l.dataBytes;
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { total, parts };
}
