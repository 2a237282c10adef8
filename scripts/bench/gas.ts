/**
 * Gas benchmark: deploys the suite on Hardhat's network, runs each operation of a request's life,
 * and prints its gas beside its theoretical floor (see gasFloor.ts) and EAS `attest` of a comparable
 * record, deployed and called in the same run.
 *
 *   npm run bench:gas -- [--json <file>]
 */
import { writeFileSync } from "node:fs";
import { AbiCoder, ContractFactory, getBytes, type ContractTransactionResponse, type Signer } from "ethers";
import { parseArgs } from "../lib/args";
import { gasFloor } from "./gasFloor";
import { storageWrites } from "./traceWrites";

interface Operation {
  name: string;
  gas: number;
  minimum: number;
  ratio: number;
  reason?: string;
}

/** Why an operation may cost more than 1.5× its floor: the work the floor does not count. */
const REASONS: Record<string, string> = {};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ["json"] });
  process.env.HARDHAT_NETWORK = "hardhat";
  const hre = await import("hardhat");
  await hre.run("compile", { quiet: true });
  const { foundedLedgerForBench } = await import("./benchLedger");
  const provider = hre.ethers.provider;

  const operations: Operation[] = [];
  const measure = async (
    name: string,
    txs: Array<() => Promise<ContractTransactionResponse>>,
    perUnit = 1,
  ): Promise<Operation> => {
    let gas = 0;
    let minimum = 0;
    for (const send of txs) {
      const tx = await send();
      const receipt = (await tx.wait())!;
      const to = receipt.contractAddress ?? tx.to!;
      const writes = await storageWrites(provider as never, tx.hash, to, receipt.blockNumber);
      const deployedCodeBytes = receipt.contractAddress
        ? getBytes(await provider.getCode(receipt.contractAddress)).length
        : undefined;
      const floor = gasFloor({
        calldata: getBytes(tx.data),
        writes,
        logs: receipt.logs.map((l) => ({ topics: l.topics.length, dataBytes: getBytes(l.data).length })),
        deployedCodeBytes,
      });
      gas += Number(receipt.gasUsed);
      minimum += floor.total;
    }
    const op: Operation = {
      name,
      gas: Math.round(gas / perUnit),
      minimum: Math.round(minimum / perUnit),
      ratio: Number((gas / minimum).toFixed(3)),
    };
    if (op.ratio > 1.5) op.reason = REASONS[name] ?? "no reason recorded: this is a regression to look at";
    operations.push(op);
    process.stderr.write(`measured ${name}\n`);
    return op;
  };

  const b = await foundedLedgerForBench(hre);
  await measure("found consortium (3 states)", [async () => b.consortiumDeployment]);
  const r = b.newRequest();
  await measure("submit request", [() => b.l.requests.connect(b.us.authority).submitRequest(r)]);
  await measure("acknowledge", [() => b.l.requests.connect(b.mx.authority).acknowledge(r.requestId, b.digest())]);
  await measure("accept", [() => b.l.requests.connect(b.mx.authority).accept(r.requestId, b.digest())]);
  await measure("start execution", [() => b.l.requests.connect(b.mx.authority).startExecution(r.requestId, b.digest())]);
  const e = b.newEvidence(r.requestId);
  await measure("register evidence", [() => b.l.custody.connect(b.mx.agency).registerEvidence(e)]);
  const expiresAt = (await provider.getBlock("latest"))!.timestamp + 86_400;
  await measure("offer + accept custody", [
    () => b.l.custody.connect(b.mx.agency).offerCustody(e.evidenceId, b.US, hre.ethers.ZeroAddress, expiresAt, b.digest()),
    () => b.l.custody.connect(b.us.agency).acceptCustody(e.evidenceId, e.payloadDigest),
  ]);
  for (const leaves of [1, 64, 1024]) {
    await measure(`anchor batch of ${leaves} (per leaf)`, [
      () => b.l.anchors.connect(b.mx.gateway).anchor(b.digest(), leaves, b.digest()),
    ], leaves);
  }
  const relayed = b.newRequest();
  await measure("submit request, relayed (ERC2771Forwarder)", [() => b.relaySubmit(relayed)]);

  const easGas = await easAttest(hre, b.us.authority, b.newRequest());
  printTable(operations, easGas);
  if (typeof args.json === "string") {
    writeFileSync(
      args.json,
      JSON.stringify({ operations: operations.map(({ ratio: _r, ...o }) => o), eas: easGas }, null, 2) + "\n",
    );
    process.stderr.write(`wrote ${args.json}\n`);
  }
}

interface EasGas {
  /** The comparable record: the same fields a request submission anchors. */
  attest: number;
  /** A one-field record (the document digest alone): EAS's floor, shown for context. */
  attestOneField: number;
}

/**
 * Deploys EAS (SchemaRegistry + EAS from the npm package's artifacts) and attests two records: a bare
 * document digest and the full request record. Each on a fresh schema, so both pay the same cold costs.
 */
async function easAttest(
  hre: typeof import("hardhat"),
  signer: Signer,
  r: { requestId: string; requestedState: string; treatyId: string; assistanceTypes: number; priority: number; documentDigest: string },
): Promise<EasGas> {
  const registryArtifact = await import(
    "@ethereum-attestation-service/eas-contracts/artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json"
  );
  const easArtifact = await import("@ethereum-attestation-service/eas-contracts/artifacts/contracts/EAS.sol/EAS.json");
  const registry = await new ContractFactory(registryArtifact.abi, registryArtifact.bytecode, signer).deploy();
  await registry.waitForDeployment();
  const eas = await new ContractFactory(easArtifact.abi, easArtifact.bytecode, signer).deploy(await registry.getAddress());
  await eas.waitForDeployment();
  const reg = registry as unknown as { register(s: string, r: string, rev: boolean): Promise<ContractTransactionResponse> };
  const attester = eas as unknown as { attest(req: unknown): Promise<ContractTransactionResponse> };
  const attest = async (schema: string, types: string[], values: unknown[]): Promise<number> => {
    const regTx = await (await reg.register(schema, hre.ethers.ZeroAddress, true)).wait();
    const schemaUid = regTx!.logs[0]!.topics[1]!;
    const tx = await attester.attest({
      schema: schemaUid,
      data: {
        recipient: hre.ethers.ZeroAddress,
        expirationTime: 0,
        revocable: true,
        refUID: hre.ethers.ZeroHash,
        data: AbiCoder.defaultAbiCoder().encode(types, values),
        value: 0,
      },
    });
    return Number((await tx.wait())!.gasUsed);
  };
  const small = await attest("bytes32 documentDigest", ["bytes32"], [r.documentDigest]);
  const full = await attest(
    "bytes32 requestId,bytes2 requestingState,bytes2 requestedState,bytes32 treatyId,uint32 assistanceTypes,uint8 priority,bytes32 documentDigest",
    ["bytes32", "bytes2", "bytes2", "bytes32", "uint32", "uint8", "bytes32"],
    [r.requestId, "0x5553", r.requestedState, r.treatyId, r.assistanceTypes, r.priority, r.documentDigest],
  );
  process.stderr.write("measured EAS attest\n");
  return { attest: full, attestOneField: small };
}

function printTable(ops: Operation[], easGas: EasGas): void {
  const rows = ops.map((o) => [o.name, String(o.gas), String(o.minimum), o.ratio.toFixed(2) + "×", o.reason ? "see reason" : ""]);
  rows.push(["EAS attest (the request's fields)", String(easGas.attest), "", "", ""]);
  rows.push(["EAS attest (one bytes32, context)", String(easGas.attestOneField), "", "", ""]);
  const head = ["operation", "gas", "floor", "gas/floor", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const submit = ops.find((o) => o.name === "submit request")!;
  console.log(
    `\nsubmit request / EAS attest of the same record = ${(submit.gas / easGas.attest).toFixed(3)} (goal ≤ 0.5); ` +
      `/ EAS attest of one bytes32 = ${(submit.gas / easGas.attestOneField).toFixed(3)}`,
  );
  for (const o of ops.filter((o) => o.reason)) console.log(`reason (${o.name}): ${o.reason}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
