import type { GatewayModule, ModuleDeps } from "./modules";
import { requestsModule } from "./requests/module";
import { evidenceModule } from "./evidence/module";
import { peerModule } from "./peer/module";
import { auditModule } from "./audit/module";
import { eventsModule } from "./events/module";
import { opsModule } from "./observability/module";

/** Every feature of the gateway, in the order their routes are mounted. */
export const FEATURE_MODULES: ((deps: ModuleDeps) => GatewayModule)[] = [requestsModule, evidenceModule, peerModule, auditModule, eventsModule, opsModule];
