import { GatewayError } from "../http/errors";

/** A chain position: block number and log index. */
export type Position = readonly [block: number, logIndex: number];

/**
 * Parses a `Last-Event-ID` (`<block>:<logIndex>`); 400 on anything else.
 * @example parsePosition("1234:5") // [1234, 5]
 */
export function parsePosition(id: string): Position {
  const m = /^(\d{1,15}):(\d{1,9})$/.exec(id.trim());
  if (!m) throw new GatewayError("VALIDATION_FAILED", "Last-Event-ID must be <block>:<logIndex> as sent in an event's id");
  return [Number(m[1]), Number(m[2])];
}

/**
 * True when `a` comes after `b` in chain order.
 * @example isAfter([10, 0], [9, 7]) // true
 */
export function isAfter(a: Position, b: Position): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}
