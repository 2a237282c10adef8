import type { Request, RequestHandler, Response } from "express";

/**
 * Wraps a handler that streams the request body itself: when it fails before the body was read to the
 * end (a refusal, a size limit, a bad digest), the answer carries `Connection: close`, so the client does
 * not reuse a connection that still has part of a body in flight.
 * @example router.post("/v1/…", streamingRoute(async (req, res) => { … }));
 */
export function streamingRoute(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (e) {
      if (!req.complete && !res.headersSent) res.setHeader("Connection", "close");
      throw e;
    }
  };
}
