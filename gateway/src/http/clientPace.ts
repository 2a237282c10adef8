import type { RequestHandler } from "express";
import { GatewayError } from "./errors";
import type { ClientTimeouts } from "./httpServer";
import { sendProblem } from "./problem";

/**
 * Holds a client to its pace while it is the client's turn, never while the gateway thinks:
 * - receiving a body (the gateway wants bytes and the client sends none for `idleTimeoutMs`, or averages
 *   less than `bodyMinBytesPerSecond` after the first `idleTimeoutMs`): 408 problem document when nothing
 *   was answered yet, and the connection closes;
 * - sending an answer (output waits and the client reads none of it for `idleTimeoutMs`): the connection
 *   closes.
 * Time the gateway's own event loop stood still (a long GC, a starved CPU) does not count against a client.
 * @example app.use(clientPace(config));
 */
export function clientPace(t: Omit<ClientTimeouts, "headersTimeoutMs">): RequestHandler {
  const idle = t.idleTimeoutMs;
  const tickMs = Math.max(10, Math.min(1000, Math.floor(idle / 4)));
  return (req, res, next) => {
    const socket = req.socket;
    const startRead = socket.bytesRead;
    let lastRead = startRead;
    let lastSent = -1;
    let bodyStalledMs = 0;
    let readStalledMs = 0;
    let clientMs = 0;
    let lastTick = Date.now();
    const timer = setInterval(tick, tickMs);
    timer.unref();
    next();

    function tick(): void {
      const now = Date.now();
      // A late tick means this process stood still: count at most two ticks' worth.
      const elapsed = Math.min(now - lastTick, 2 * tickMs);
      lastTick = now;
      if (socket.destroyed || (req.complete && res.writableFinished)) return clearInterval(timer);
      if (!req.complete) {
        const read = socket.bytesRead;
        const wanting = req.readableLength < req.readableHighWaterMark;
        if (read !== lastRead || !wanting) bodyStalledMs = 0;
        else bodyStalledMs += elapsed;
        lastRead = read;
        if (wanting) clientMs += elapsed;
        if (bodyStalledMs > idle) return cut(`no byte of the request body arrived for ${idle} ms`);
        // A trickle: bytes keep coming (a stall is judged above), too few for the time the client has had.
        const floor = (t.bodyMinBytesPerSecond * (clientMs - idle)) / 1000;
        if (t.bodyMinBytesPerSecond > 0 && bodyStalledMs === 0 && clientMs > idle && read - startRead < floor) {
          return cut(`the request body arrives slower than ${t.bodyMinBytesPerSecond} bytes/s`);
        }
        return;
      }
      // The answer: bytes handed to the kernel move only when the client reads.
      const waiting = socket.writableLength > 0;
      const sent = socket.bytesWritten - socket.writableLength;
      if (!waiting || sent !== lastSent) readStalledMs = 0;
      else readStalledMs += elapsed;
      lastSent = sent;
      if (readStalledMs > idle) {
        clearInterval(timer);
        socket.destroy();
      }
    }

    function cut(detail: string): void {
      clearInterval(timer);
      // Destroying the request (not only the socket) ends whatever still reads the body: once an answer
      // finished, Node no longer aborts the request when its socket closes.
      const close = () => {
        req.destroy();
        socket.destroy();
      };
      if (res.headersSent) return close();
      res.setHeader("Connection", "close");
      res.once("finish", close);
      setTimeout(close, idle).unref();
      sendProblem(res, new GatewayError("TIMEOUT", detail), req.originalUrl.split("?")[0]);
    }
  };
}
