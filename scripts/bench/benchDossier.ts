import type { Dossier } from "../../gateway/src/dossier";
import { dossierOfSize } from "../../test/gateway/dossier/example";
import type { LocalConsortium } from "../lib/localConsortium";

/**
 * A complete US → MX dossier under the consortium's bilateral treaty, about `bytes` long as JSON.
 * @example const dossier = benchDossier(consortium, 10 * 1024);
 */
export function benchDossier(consortium: LocalConsortium, bytes: number): Dossier {
  const base = dossierOfSize(bytes);
  return {
    ...base,
    language: "en",
    requestingAuthority: { ...base.requestingAuthority, state: "US" },
    requestedAuthority: { ...base.requestedAuthority, state: "MX" },
    treaty: { ...base.treaty, treatyId: consortium.bilateralTreaty },
  };
}
