import type { Request, RequestHandler } from "express";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Transform } from "node:stream";
import { GatewayError } from "./errors";

/** True when a request carries a body: chunked, or a Content-Length above zero. */
export function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/** True when the request declares a JSON body (`application/json` or `application/*+json`). */
export function isJsonBody(req: Request): boolean {
  return Boolean(req.is(["application/json", "application/*+json"]));
}

const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, "x-gzip": createGunzip, deflate: createInflate, br: createBrotliDecompress };

/**
 * Reads and parses JSON bodies, except on the routes that stream their body (`isRaw`):
 * - a body that is not JSON is refused (415), never silently ignored (the call would run as if no body
 *   had been sent); so is a charset other than UTF-8 and an unknown Content-Encoding;
 * - a Content-Length over `limitBytes` is refused (413) before a byte is read, and a body (chunked, or
 *   inflated from gzip/deflate/br) is refused the moment it passes `limitBytes`, not after reading the
 *   rest: an endless body gets its 413 too;
 * - only an object or an array parses (a bare `null` must not pass for "no body").
 * A refusal before the body was read whole closes the connection (the problem handler sees to it).
 * @example app.use(jsonBody({ limitBytes: 1 << 20, isRaw: (req) => UPLOAD_PATH.test(req.path) }));
 */
export function jsonBody(options: { limitBytes: number; isRaw: (req: Request) => boolean }): RequestHandler {
  const limit = options.limitBytes;
  return async (req, _res, next) => {
    if (options.isRaw(req) || !hasBody(req)) return next();
    if (!isJsonBody(req)) {
      throw new GatewayError("UNSUPPORTED_MEDIA_TYPE", `the body must be application/json, not ${req.headers["content-type"] ?? "untyped"}`);
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers["content-type"] ?? "")?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) throw new GatewayError("UNSUPPORTED_MEDIA_TYPE", `the body must be UTF-8, not ${charset}`);
    const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
    const decoder = encoding === "identity" ? undefined : DECODERS[encoding];
    if (encoding !== "identity" && !decoder) throw new GatewayError("UNSUPPORTED_MEDIA_TYPE", `unsupported Content-Encoding ${encoding}`);
    if (!decoder && Number(req.headers["content-length"] ?? 0) > limit) {
      throw new GatewayError("PAYLOAD_TOO_LARGE", `the body is larger than ${limit} bytes`);
    }
    const text = (await readLimited(req, encoding, limit)).replace(/^\uFEFF/, "");
    if (text.trim() === "") return next();
    if (!/^[\s]*[[{]/.test(text)) throw new GatewayError("BAD_REQUEST", "the body must be a JSON object");
    try {
      req.body = JSON.parse(text) as unknown;
    } catch {
      throw new GatewayError("BAD_REQUEST", "the body is not valid JSON");
    }
    next();
  };
}

/** The body as UTF-8 text, failing with 413 as soon as it (decoded) passes `limit` bytes. */
async function readLimited(req: Request, encoding: string, limit: number): Promise<string> {
  const decoder = DECODERS[encoding]?.();
  const chunks: Buffer[] = [];
  let size = 0;
  let source: AsyncIterable<Buffer> = req.iterator({ destroyOnReturn: false });
  const forward = (e: Error) => decoder?.destroy(e);
  if (decoder) {
    req.once("error", forward);
    req.pipe(decoder);
    source = decoder;
  }
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) throw new GatewayError("PAYLOAD_TOO_LARGE", `the body is larger than ${limit} bytes`);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof GatewayError) throw e;
    if (/^Z_/.test(String((e as { code?: unknown }).code))) throw new GatewayError("BAD_REQUEST", `the body is not valid ${encoding} data`);
    throw e;
  } finally {
    if (decoder) {
      req.off("error", forward);
      req.unpipe(decoder);
      decoder.destroy();
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}
