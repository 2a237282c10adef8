import { keccak256 } from "ethers";
import createKeccak from "keccak";

let installed = false;

/** Inputs up to this size are remembered: event signatures, selectors, EIP-712 type strings, addresses. */
const MEMO_MAX_INPUT = 160;
/** Remembered digests at most (the memory is a few hundred KB; it starts afresh when full). */
const MEMO_ENTRIES = 8192;

function nativeKeccak(data: Uint8Array): Uint8Array {
  return new Uint8Array(createKeccak("keccak256").update(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).digest());
}

/**
 * Keccak-256 with small inputs remembered: ethers hashes the same few strings again and again (an event's
 * topic and a function's selector on every access, an EIP-712 type hash on every encoding, an address's
 * checksum on every normalisation), which took about 3 % of the US gateway's main thread under
 * `bench:gateway`. Each caller gets its own copy of the digest.
 * @example const keccak = memoKeccak(); keccak(Buffer.from("Transfer(address,address,uint256)"));
 */
export function memoKeccak(): (data: Uint8Array) => Uint8Array {
  const memo = new Map<string, Uint8Array>();
  return (data) => {
    if (data.length > MEMO_MAX_INPUT) return nativeKeccak(data);
    const key = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
    let digest = memo.get(key);
    if (!digest) {
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      digest = nativeKeccak(data);
      memo.set(key, digest);
    }
    return new Uint8Array(digest);
  };
}

/**
 * Makes ethers hash with the native Keccak-256 binding (the `keccak` package) instead of its JavaScript
 * one, about 5× faster, remembering the digests of small inputs (see {@link memoKeccak}): ethers hashes
 * constantly (typed data, addresses, transactions, topics). Same output; installed once per process.
 * @example useNativeKeccak();
 */
export function useNativeKeccak(): void {
  if (installed) return;
  keccak256.register(memoKeccak());
  installed = true;
}
