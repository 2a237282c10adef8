import type { GatewayModule, ModuleDeps } from "./modules";
import { requestsModule } from "./requests/module";

/** Every feature of the gateway, in the order their routes are mounted. */
export const FEATURE_MODULES: ((deps: ModuleDeps) => GatewayModule)[] = [requestsModule];
