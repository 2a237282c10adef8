import type { Request } from "express";
import { z } from "zod";
import { manifestSchema } from "../../../sdk/src/crypto/manifest";
import { GatewayError } from "../http/errors";
import { Bytes32, parseInput } from "../http/validate";

/** Header values are percent-encoded UTF-8 (as `encodeURIComponent` writes them): HTTP headers are Latin-1. */
const percentDecoded = z.string().transform((s, ctx) => {
  try {
    return decodeURIComponent(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "invalid percent-encoding" });
    return z.NEVER;
  }
});

const fields = manifestSchema.shape;

/** What an uploader says about an evidence file, besides its bytes (headers or query parameters). */
export const UploadMetaSchema = z.strictObject({
  fileName: percentDecoded.pipe(fields.fileName),
  description: percentDecoded.pipe(fields.description).default(""),
  collectedBy: percentDecoded.pipe(fields.collectedBy).optional(),
  collectedAt: fields.collectedAt.optional(),
  evidenceId: Bytes32.optional(),
});

/** Validated upload metadata. */
export type UploadMeta = z.infer<typeof UploadMetaSchema>;

const HEADERS = {
  fileName: "x-file-name",
  description: "x-description",
  collectedBy: "x-collected-by",
  collectedAt: "x-collected-at",
  evidenceId: "x-evidence-id",
} as const;

/**
 * The metadata of an upload: each field from its `X-…` header, else from the query parameter of the same
 * name (`?fileName=…`); the media type from `Content-Type`. Unknown query parameters are refused.
 * @example const { meta, mediaType } = uploadMetaOf(req);
 */
export function uploadMetaOf(req: Request): { meta: UploadMeta; mediaType: string } {
  const query = parseInput(z.record(z.string(), z.string()), req.query, "query");
  const raw: Record<string, string> = { ...query };
  for (const [key, header] of Object.entries(HEADERS)) {
    const value = req.headers[header];
    if (typeof value === "string") raw[key] = value;
  }
  const meta = parseInput(UploadMetaSchema, raw, "upload metadata");
  const mediaType = req.headers["content-type"];
  if (!mediaType || !fields.mediaType.safeParse(mediaType).success) {
    throw new GatewayError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be the evidence file's media type, e.g. application/pdf");
  }
  return { meta, mediaType };
}
