import { keccak256 } from "ethers";
import secp256k1 from "secp256k1";

/**
 * EIP-1559 (type 2) transactions built and signed here, with the native Keccak-256 and libsecp256k1:
 * the same bytes as ethers' `Wallet.signTransaction`, without its hex round trips (a relayed batch
 * carries up to a hundred signed calls, about 100 KB of calldata, which ethers turned from hex to bytes
 * and back several times, one character pair at a time, on the event loop; figures in forwarderBatch.ts).
 */

/** The fields of a type-2 transaction without an access list. */
export interface Eip1559Fields {
  chainId: bigint;
  nonce: number;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
  gasLimit: bigint;
  to: string;
  value: bigint;
  data: Uint8Array;
}

/** A signed transaction: its serialization (0x hex, as `eth_sendRawTransaction` takes it) and hash. */
export interface SignedTransaction {
  raw: string;
  hash: string;
}

/** RLP of a byte string. */
function rlpBytes(bytes: Uint8Array): Buffer {
  if (bytes.length === 1 && bytes[0]! < 0x80) return Buffer.from(bytes);
  return Buffer.concat([rlpLength(bytes.length, 0x80), bytes]);
}

/** RLP of a list whose items are already encoded. */
function rlpList(items: Buffer[]): Buffer {
  const body = Buffer.concat(items);
  return Buffer.concat([rlpLength(body.length, 0xc0), body]);
}

function rlpLength(length: number, offset: number): Buffer {
  if (length < 56) return Buffer.from([offset + length]);
  const size = minimalBytes(BigInt(length));
  return Buffer.concat([Buffer.from([offset + 55 + size.length]), size]);
}

/** The big-endian bytes of a non-negative integer without leading zeros (zero: no bytes). */
function minimalBytes(value: bigint): Buffer {
  if (value < 0n) throw new RangeError(`a transaction field cannot be negative (${value})`);
  if (value === 0n) return Buffer.alloc(0);
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? "0" + hex : hex, "hex");
}

/** 20 bytes of an address (0x and 40 hex digits, any case). */
export function addressBytes(address: string): Buffer {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new TypeError(`not an address: ${address}`);
  return Buffer.from(address.slice(2), "hex");
}

function unsignedItems(tx: Eip1559Fields): Buffer[] {
  const int = (v: bigint | number) => rlpBytes(minimalBytes(BigInt(v)));
  return [
    int(tx.chainId),
    int(tx.nonce),
    int(tx.maxPriorityFeePerGas),
    int(tx.maxFeePerGas),
    int(tx.gasLimit),
    rlpBytes(addressBytes(tx.to)),
    int(tx.value),
    rlpBytes(tx.data),
    rlpList([]), // access list
  ];
}

const TYPE_2 = Buffer.from([2]);

/**
 * Signs a type-2 transaction with a raw private key (32 bytes): RFC 6979 deterministic, low-s, as ethers
 * signs. The hash is the transaction hash the node will report.
 * @example const { raw, hash } = signEip1559Transaction(fields, key); await provider.send("eth_sendRawTransaction", [raw]);
 */
export function signEip1559Transaction(tx: Eip1559Fields, privateKey: Uint8Array): SignedTransaction {
  const items = unsignedItems(tx);
  const digest = Buffer.from(keccak256(Buffer.concat([TYPE_2, rlpList(items)])).slice(2), "hex");
  const { signature, recid } = secp256k1.ecdsaSign(digest, privateKey);
  const r = BigInt("0x" + Buffer.from(signature.subarray(0, 32)).toString("hex"));
  const s = BigInt("0x" + Buffer.from(signature.subarray(32, 64)).toString("hex"));
  const signed = [...items, rlpBytes(minimalBytes(BigInt(recid))), rlpBytes(minimalBytes(r)), rlpBytes(minimalBytes(s))];
  const serialized = Buffer.concat([TYPE_2, rlpList(signed)]);
  return { raw: "0x" + serialized.toString("hex"), hash: keccak256(serialized) };
}
