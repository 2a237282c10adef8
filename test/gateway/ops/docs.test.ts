import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_ENV } from "../../../gateway/src/config/loadConfig";
import { GatewayConfigSchema } from "../../../gateway/src/config/schema";

describe("docs/operations.md", () => {
  const doc = readFileSync("docs/operations.md", "utf8");

  it("documents every configuration key with its environment variable", () => {
    for (const key of Object.keys(GatewayConfigSchema.shape)) {
      const env = CONFIG_ENV[key as keyof typeof CONFIG_ENV];
      expect(doc, key).toMatch(new RegExp(`\\| \`${key}\` \\| \`${env}\``));
    }
  });
});
