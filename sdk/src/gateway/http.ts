import { MlatError } from "../errors/MlatError";

/** An RFC 9457 problem document a gateway answered with. */
export interface GatewayProblem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  [extension: string]: unknown;
}

/** A gateway refused a call: its status and problem document. */
export class GatewayRequestError extends MlatError<"GATEWAY_REQUEST_FAILED"> {
  readonly status: number;
  readonly problem: GatewayProblem | undefined;

  constructor(method: string, path: string, status: number, problem: GatewayProblem | undefined) {
    super("GATEWAY_REQUEST_FAILED", `${method} ${path} → ${status}${problem?.detail ? `: ${problem.detail}` : ""}`);
    this.status = status;
    this.problem = problem;
  }
}

/** One HTTP call to a gateway; JSON in, JSON out, problems thrown as {GatewayRequestError}. */
export async function gatewayFetch<T>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: RequestInit["body"]; headers?: Record<string, string>; raw?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const init: RequestInit & { duplex?: "half" } = { method, headers, body };
  if (body && typeof body === "object" && Symbol.asyncIterator in body) init.duplex = "half";
  const res = await fetch(new URL(path, base), init);
  if (!res.ok) {
    const text = await res.text();
    let problem: GatewayProblem | undefined;
    try {
      problem = JSON.parse(text) as GatewayProblem;
    } catch {
      problem = undefined;
    }
    throw new GatewayRequestError(method, path, res.status, problem);
  }
  if (options.raw) return res as unknown as T;
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/**
 * Streams `body` to a gateway with Node's own HTTP client (a streamed upload through `fetch` costs about
 * twice the CPU per byte) and answers the JSON reply; a refusal is thrown as {GatewayRequestError}.
 * @example await gatewayUpload(url, "POST", `/v1/requests/${id}/evidence`, createReadStream(file), { token, headers });
 */
export async function gatewayUpload<T>(
  base: string,
  method: string,
  path: string,
  body: NodeJS.ReadableStream,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const url = new URL(path, base);
  const { request } = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise<T>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        const status = res.statusCode ?? 0;
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        if (status >= 200 && status < 300) resolve(json as T);
        else reject(new GatewayRequestError(method, path, status, json as GatewayProblem | undefined));
      });
    });
    req.on("error", reject);
    body.on("error", (e: Error) => req.destroy(e));
    body.pipe(req);
  });
}
