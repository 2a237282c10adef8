import { readFileSync } from "node:fs";
import type { StateDirectory } from "../chain/stateDirectory";
import { DEFAULT_REQUIREMENTS, RequirementsSchema, type Requirements } from "../dossier";
import { GatewayError } from "../http/errors";
import type { Logger } from "../observability/logger";

/** Requirements fetched from a peer are reused this long. */
const CACHE_MS = 10 * 60_000;

/** This state's published requirements: from a file when configured, else the defaults. */
export function ownRequirements(state: string, file?: string): Requirements {
  if (!file) return DEFAULT_REQUIREMENTS(state);
  const parsed = RequirementsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success || parsed.data.state !== state) {
    throw new GatewayError("CONFIG_INVALID", `requirements file ${file} is invalid or not of ${state}`);
  }
  return parsed.data;
}

/** Where a requested state's requirements came from. */
export type RequirementsSource = "peer" | "cache" | "default";

/**
 * Fetches and caches other states' published requirements (`GET <gateway>/v1/requirements`). When a
 * peer is unreachable, the last copy is used, or the defaults, and the caller is told which.
 */
export class PeerRequirements {
  readonly #cache = new Map<string, { value: Requirements; at: number }>();

  constructor(
    private readonly directory: StateDirectory,
    private readonly peers: Record<string, string> | undefined,
    private readonly log: Logger,
  ) {}

  async of(state: string): Promise<{ requirements: Requirements; source: RequirementsSource }> {
    const hit = this.#cache.get(state);
    if (hit && Date.now() - hit.at < CACHE_MS) return { requirements: hit.value, source: "cache" };
    try {
      const base = this.peers?.[state] ?? (await this.directory.get(state)).gatewayUrl;
      const res = await fetch(new URL("/v1/requirements", base), { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const parsed = RequirementsSchema.parse(await res.json());
      if (parsed.state !== state) throw new Error(`the gateway published requirements of ${parsed.state}`);
      this.#cache.set(state, { value: parsed, at: Date.now() });
      return { requirements: parsed, source: "peer" };
    } catch (e) {
      this.log.warn("requirements of a peer unavailable", { peer: state, error: e instanceof Error ? e.message : String(e) });
      if (hit) return { requirements: hit.value, source: "cache" };
      return { requirements: DEFAULT_REQUIREMENTS(state), source: "default" };
    }
  }
}
