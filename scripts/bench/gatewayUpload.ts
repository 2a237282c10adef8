import type { GatewayProcess } from "../lib/gatewayProcess";
import type { LocalConsortium } from "../lib/localConsortium";

/** Placeholder until the evidence upload endpoint lands: measured in the next step. */
export async function benchUpload(
  _rpcUrl: string,
  _consortium: LocalConsortium,
  _urls: Record<string, string>,
  _gateway: GatewayProcess,
  _mib: number,
  _dir: string,
): Promise<{ mbPerSec: number; peakRssMiB: number } | undefined> {
  return undefined;
}
