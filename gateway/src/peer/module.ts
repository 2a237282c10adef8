import type { GatewayModule, ModuleDeps } from "../modules";
import { pushHooks } from "./hooks";
import { pushHandler } from "./push";
import { PEER_BLOB_PATH, peerRoutes } from "./routes";

/**
 * Peer push: receives ciphertext other gateways push (stored only when the chain commits to its digest
 * and names this state), and pushes what this state anchors to the counterpart's gateway.
 * @example FEATURE_MODULES.push(peerModule)
 */
export function peerModule({ ctx, directory, memberships }: ModuleDeps): GatewayModule {
  return {
    name: "peer",
    publicRoutes: peerRoutes(ctx, memberships),
    rawBodyPaths: [PEER_BLOB_PATH],
    jobs: [pushHandler(ctx, directory)],
    hooks: pushHooks(ctx),
  };
}
