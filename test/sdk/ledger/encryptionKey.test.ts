import { describe, it, expect } from "vitest";
import { recipientToKeyBytes, keyBytesToRecipient } from "../../../sdk/src/ledger/encryptionKey";
import { generateIdentity, formatRecipient } from "../../../sdk/src/crypto/keys";
import { foundingArgs } from "../../../scripts/lib/founding";
import { isMlatError } from "../../../sdk/src/errors/MlatError";

describe("state encryption keys on-chain", () => {
  it("round-trips an age1 recipient through the 32 bytes the consortium stores", () => {
    const recipient = formatRecipient(generateIdentity().recipient);
    const bytes = recipientToKeyBytes(recipient);
    expect(bytes).toMatch(/^0x[0-9a-f]{64}$/);
    expect(keyBytesToRecipient(bytes)).toBe(recipient);
    expect(recipientToKeyBytes(bytes)).toBe(bytes);
  });

  it.each(["age1notakey", "0x1234", "AGE-SECRET-KEY-1QQQ", ""])("refuses %j with a typed error", (bad) => {
    try {
      recipientToKeyBytes(bad);
      expect.unreachable();
    } catch (e) {
      expect(isMlatError(e)).toBe(true);
    }
  });

  it("lets a founding file give keys as age1 recipients", () => {
    const recipient = formatRecipient(generateIdentity().recipient);
    const args = foundingArgs({
      thresholdBps: 5001,
      states: [
        {
          code: "MX",
          encryptionKey: recipient,
          gatewayUrl: "https://gw.mx.example",
          accounts: [{ address: "0x" + "11".repeat(20), roles: ["CENTRAL_AUTHORITY"] }],
        },
      ],
    });
    expect(args.states[0]!.encryptionKey).toBe(recipientToKeyBytes(recipient));
    expect(() =>
      foundingArgs({
        thresholdBps: 5001,
        states: [{ code: "MX", encryptionKey: "age1bad", gatewayUrl: "https://x.example", accounts: [{ address: "0x" + "11".repeat(20), roles: ["CENTRAL_AUTHORITY"] }] }],
      }),
    ).toThrow(/age1… X25519 recipient/);
  });
});
