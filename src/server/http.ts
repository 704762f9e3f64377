/**
 * The node:http edge: turns each IncomingMessage into a fetch Request (body streamed, not buffered),
 * calls the handler, and writes the Response back. Everything else lives in handler.ts, except shedding:
 * under overload, a refusal must cost next to nothing, so it is decided from the request line alone and the
 * body is discarded unread (no Request, no JSON) before answering on the same keep-alive connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import { errorResponse } from './api-error.ts';
import type { Handler } from './handler.ts';

/** A refusal decided from the method and URL alone (the answer, in the route's protocol), or undefined to let the handler answer. */
export type Shed = (method: string | undefined, url: string | undefined) => Response | undefined;

export interface HttpServer {
  server: Server;
  /** http://host:port actually bound (port 0 picks a free one). */
  url: string;
  /** Stops accepting connections and resolves once open ones have finished (forced after graceMs). */
  close(graceMs?: number): Promise<void>;
}

export async function listen(handler: Handler, host: string, port: number, shed: Shed = () => undefined): Promise<HttpServer> {
  const server = createServer((req, res) => {
    const refusal = shed(req.method, req.url);
    void (refusal === undefined ? serve(handler, req, res) : refuse(refusal, req, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${urlHost}:${address.port}`, close: (graceMs) => closeServer(server, graceMs) };
}

async function serve(handler: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = toRequestSafely(req);
  try {
    const response = request ? await handler(request) : errorResponse({ code: 'bad_request', message: 'the request URL or Host header is malformed' });
    await writeResponse(req, res, response);
  } catch {
    // Only the socket can fail here (client gone); the handler itself never throws.
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
  // A body the handler never read (refused early) is discarded rather than left buffered.
  if (request?.body && !request.bodyUsed) await request.body.cancel().catch(() => undefined);
}

/** Bodies up to this size are drained to keep the connection; longer or unsized ones get the answer and a close. */
const DRAIN_LIMIT_BYTES = 1 << 20;

/** Reads the body to its end without keeping it, then answers, so the connection stays open for the next request. */
async function refuse(refusal: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  req.resume();
  try {
    if (declared <= DRAIN_LIMIT_BYTES) await finished(req);
    await writeResponse(req, res, refusal); // closes the connection if the body is still arriving
  } catch {
    res.destroy(); // the client went away mid-body
  }
}

/** undefined when the request line or Host header cannot form a URL. */
function toRequestSafely(req: IncomingMessage): Request | undefined {
  try {
    return toRequest(req);
  } catch {
    return undefined;
  }
}

function toRequest(req: IncomingMessage): Request {
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method,
    headers,
    ...(hasBody ? { body: bodyStream(req), duplex: 'half' } : {}),
  } as RequestInit);
}

/**
 * A pull-driven stream over the request: reading pauses the socket when the consumer lags. Cancelling
 * (an oversized body) discards the rest instead of destroying the socket, so the 413 still reaches
 * the client.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (cancelled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => !cancelled && controller.close());
      req.once('error', (error) => !cancelled && controller.error(error));
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      cancelled = true;
      req.resume();
    },
  });
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const body = req.method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(response.headers);
  // A refused body may still be arriving: end the connection after answering rather than read it all.
  if (!req.complete) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
}

async function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(force);
}
