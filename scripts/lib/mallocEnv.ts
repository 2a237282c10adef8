/**
 * glibc malloc settings for a gateway process (docs/operations.md, "Memory"): at most two arenas, and
 * free memory at the top of a heap handed back to the system beyond 128 KiB (a fixed threshold, which
 * also stops glibc from raising its mmap threshold after large frees). Measured under the HTTP fuzzer
 * (PostgreSQL, seed 1278834366, 20,000 hostile requests): with glibc's defaults RSS after GC grew by
 * 50–67 MiB while the JS heap grew by 4 MiB and external memory by 0.1 MiB (memory freed by V8's
 * background threads kept in their arenas); with these, RSS went 205.6 → 189.5 MiB. Request and upload
 * throughput within run-to-run noise (bench:gateway, four alternating runs). Values already in the
 * environment win. (The `gateway` script of package.json sets the same values.)
 */
export const GATEWAY_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_TRIM_THRESHOLD_: "131072",
};
