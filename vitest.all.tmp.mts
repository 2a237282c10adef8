import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.mts";
export default defineConfig({ ...base, test: { ...base.test, exclude: [...configDefaults.exclude, "test/load/**"], testTimeout: 3_600_000, hookTimeout: 600_000, reporters: ["default", "json"], outputFile: { json: "/tmp/vt-all.json" } } });
