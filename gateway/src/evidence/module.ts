import type { GatewayModule, ModuleDeps } from "../modules";
import { evidenceRoutes, UPLOAD_PATH } from "./routes";

/**
 * Evidence: streaming upload under a request in execution, reading, decrypted content to entitled states,
 * verification bundle and report, and the custody steps, each a prepared intent.
 * @example FEATURE_MODULES.push(evidenceModule)
 */
export function evidenceModule({ ctx, directory }: ModuleDeps): GatewayModule {
  return { name: "evidence", routes: evidenceRoutes(ctx, directory), rawBodyPaths: [UPLOAD_PATH] };
}
