/** Flips `mask` bits of the byte at `index` (negative: from the end) in place; returns the buffer. */
export function flipByte(bytes: Buffer, index: number, mask = 0x01): Buffer {
  const i = index < 0 ? bytes.length + index : index;
  bytes.writeUInt8(bytes.readUInt8(i) ^ mask, i);
  return bytes;
}
