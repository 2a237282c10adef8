import { describe, it, expect } from "vitest";
import { keccak256, toUtf8Bytes } from "ethers";
import { readFileSync } from "node:fs";
import { foundedConsortium, useFixture, digest } from "../../helpers/ledger";
import { signForwardRequest } from "../../../sdk/src/ledger/signForwardRequest";
import { FORWARD_REQUEST_TYPE } from "../../../sdk/src/crypto/forwardRequest";

describe("signForwardRequest", () => {
  const ledger = useFixture(foundedConsortium);

  it("uses the type string of OpenZeppelin's ERC2771Forwarder", () => {
    const oz = readFileSync("node_modules/@openzeppelin/contracts/metatx/ERC2771Forwarder.sol", "utf8");
    expect(oz.replace(/\s+/g, " ")).toContain(`keccak256( "${FORWARD_REQUEST_TYPE}" )`);
    expect(keccak256(toUtf8Bytes(FORWARD_REQUEST_TYPE))).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("produces a request the deployed forwarder verifies and executes as the signer", async () => {
    const l = ledger();
    const data = l.consortium.interface.encodeFunctionData("rotateEncryptionKey", [digest()]);
    const request = await signForwardRequest({
      signer: l.mx.authority,
      forwarder: l.forwarder,
      to: await l.consortium.getAddress(),
      data,
    });
    expect(await l.forwarder.verify(request)).toBe(true);
    const receipt = await (await l.forwarder.connect(l.mx.gateway).execute(request)).wait();
    const rotated = receipt!.logs
      .map((log) => l.consortium.interface.parseLog(log))
      .find((e) => e?.name === "StateKeyRotated");
    expect(rotated?.args.actor).toBe(await l.mx.authority.getAddress());
    expect((await l.consortium.state("0x4d58")).keyVersion).toBe(2n);
  });
});
