import { readFileSync } from "node:fs";
import { z } from "zod";
import { MlatError } from "../errors/MlatError";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x-prefixed 20-byte address");

/** The contracts of one ledger deployment. */
export const ContractAddressesSchema = z.strictObject({
  forwarder: address,
  consortium: address,
  treaties: address,
  requests: address,
  custody: address,
  anchors: address,
});

/** `deployments/<network>.json`: where a ledger lives and how it was made. */
export const DeploymentSchema = z.strictObject({
  format: z.literal("mlat-ledger/deployment/v1"),
  network: z.string().min(1),
  chainId: z.number().int().positive(),
  deployBlock: z.number().int().nonnegative(),
  deployer: address,
  commit: z.string(),
  deployedAt: z.iso.datetime(),
  abiHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  contracts: ContractAddressesSchema,
});
/** A validated deployment record. */
export type Deployment = z.infer<typeof DeploymentSchema>;
/** Contract addresses of a deployment. */
export type ContractAddresses = z.infer<typeof ContractAddressesSchema>;

/**
 * Validates a parsed deployment record.
 * @example parseDeployment(JSON.parse(text)).contracts.requests
 */
export function parseDeployment(value: unknown, source = "deployment"): Deployment {
  const result = DeploymentSchema.safeParse(value);
  if (!result.success) {
    throw new MlatError("INVALID_DEPLOYMENT", `${source} is not a valid deployment record`, {
      details: z.prettifyError(result.error),
    });
  }
  return result.data;
}

/**
 * Reads and validates `deployments/<network>.json`.
 * @example const d = loadDeployment("deployments/localhost.json");
 */
export function loadDeployment(path: string): Deployment {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new MlatError("INVALID_DEPLOYMENT", `cannot read deployment file ${path}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new MlatError("INVALID_DEPLOYMENT", `${path} is not JSON`, { cause });
  }
  return parseDeployment(json, path);
}
