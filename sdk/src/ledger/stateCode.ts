import { MlatError } from "../errors/MlatError";

const STATE_CODE = /^[A-Z]{2}$/;

/**
 * Packs an ISO 3166-1 alpha-2 code into the contracts' `bytes2`.
 * @example toStateBytes("MX") // "0x4d58"
 */
export function toStateBytes(code: string): string {
  if (!STATE_CODE.test(code)) {
    throw new MlatError("INVALID_STATE_CODE", `"${code}" is not an ISO 3166-1 alpha-2 code (two capital letters)`);
  }
  return "0x" + Buffer.from(code, "ascii").toString("hex");
}

/**
 * Unpacks a `bytes2` state code; `0x0000` (no state) gives "".
 * @example fromStateBytes("0x4d58") // "MX"
 */
export function fromStateBytes(bytes2: string): string {
  if (!/^0x[0-9a-fA-F]{4}$/.test(bytes2)) {
    throw new MlatError("INVALID_STATE_CODE", `"${bytes2}" is not a bytes2 value`);
  }
  if (/^0x0000$/.test(bytes2)) return "";
  const code = Buffer.from(bytes2.slice(2), "hex").toString("ascii");
  if (!STATE_CODE.test(code)) throw new MlatError("INVALID_STATE_CODE", `${bytes2} does not encode a state code`);
  return code;
}
