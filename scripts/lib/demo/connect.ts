/** Finds the consortium `npm start` runs and signs in to its gateways, through the SDK. */
import { existsSync } from "node:fs";
import { connectGateway, type GatewaySession } from "../../../sdk/src/gateway/client";
import { dataLayout } from "../start/layout";
import { accountWallet, readLocalFile, type AccountRole, type LocalFile } from "../start/localFile";

/** The local consortium is not there, or not running: the message says what to do. */
export class ConsortiumNotRunningError extends Error {
  override readonly name = "ConsortiumNotRunningError";
}

/**
 * Reads `<dataDir>/local.json` and checks that the chain and every gateway answer.
 * @example const local = await runningConsortium(".data");
 */
export async function runningConsortium(dataDir: string): Promise<LocalFile> {
  const { localFile } = dataLayout(dataDir);
  if (!existsSync(localFile)) {
    throw new ConsortiumNotRunningError(`no local consortium in ${dataDir} (${localFile} is missing): run \`npm start\` first, in another terminal`);
  }
  const local = readLocalFile(localFile);
  const chainOk = await fetch(local.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  }).then((r) => r.ok, () => false);
  if (!chainOk) throw new ConsortiumNotRunningError(`the chain at ${local.rpcUrl} does not answer: is \`npm start\` running?`);
  for (const [code, s] of Object.entries(local.states)) {
    const ok = await fetch(new URL("/v1/info", s.gatewayUrl)).then((r) => r.ok, () => false);
    if (!ok) throw new ConsortiumNotRunningError(`the ${code} gateway at ${s.gatewayUrl} does not answer: is \`npm start\` running?`);
  }
  return local;
}

/**
 * Signs in to `code`'s gateway as its account of `role` (keys from the state's accounts file).
 * @example const usAuthority = await signIn(local, "US", "authority");
 */
export function signIn(local: LocalFile, code: string, role: AccountRole): Promise<GatewaySession> {
  const state = local.states[code];
  if (!state) throw new ConsortiumNotRunningError(`local.json has no state ${code}`);
  return connectGateway(state.gatewayUrl, accountWallet(state, role));
}
