/**
 * A fault-injecting HTTP proxy on loopback, between the extension's sync code (real fetch, real sockets) and the real
 * reference server: each fault is aimed at the next request that matches "METHOD /path" and is used once.
 *
 * - `hold`: the request waits at the proxy until the test releases it (a slow upload, in flight for as long as needed);
 * - `delay`: the request is forwarded after a pause;
 * - `refuse`: the connection is cut before anything reaches the server (server down);
 * - `lose-answer`: the request reaches the server, which stores it; the connection is cut before the answer arrives;
 * - `answer`: the proxy answers itself (a status, headers and body) and the server never sees the request;
 * Requests without a fault are forwarded untouched, headers and body byte for byte.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'hold'; arrived: () => void; released: Promise<void> }
  | { kind: 'delay'; ms: number }
  | { kind: 'refuse' }
  | { kind: 'lose-answer' }
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: unknown };

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Whether the request was passed on to the server (even if its answer was then lost). */
  forwarded: boolean;
}

export class FaultyProxy {
  readonly seen: Seen[] = [];
  private readonly faults: Array<{ route: string; fault: Fault }> = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly upstream: string) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Aims a fault at the next request matching `route` ("POST /v1/uploads"). */
  inject(route: string, fault: Fault): void {
    this.faults.push({ route, fault });
  }

  /** Holds the next matching request; `arrived` resolves when it is at the proxy, `release()` lets it go on. */
  hold(route: string): { arrived: Promise<void>; release: () => void } {
    let release = () => {};
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.inject(route, { kind: 'hold', arrived: arrive, released });
    return { arrived, release };
  }

  /** The requests matching `route` that reached the server. */
  forwarded(route: string): Seen[] {
    return this.seen.filter((seen) => seen.forwarded && `${seen.method} ${seen.path}` === route);
  }

  private takeFault(route: string): Fault | undefined {
    const index = this.faults.findIndex((entry) => entry.route === route);
    return index === -1 ? undefined : this.faults.splice(index, 1)[0]?.fault;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://proxy').pathname;
    const seen: Seen = { method: request.method ?? 'GET', path, headers: request.headers, forwarded: false };
    this.seen.push(seen);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const fault = this.takeFault(`${seen.method} ${path}`);
    if (fault?.kind === 'refuse') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'answer') {
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      response.end(fault.body === undefined ? '' : JSON.stringify(fault.body));
      return;
    }
    if (fault?.kind === 'hold') {
      fault.arrived();
      await fault.released;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    seen.forwarded = true;
    const upstream = new URL(request.url ?? '/', this.upstream);
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const outgoing = httpRequest(
          upstream,
          { method: seen.method, headers: { ...request.headers, host: upstream.host } },
          (incoming) => {
            const parts: Buffer[] = [];
            incoming.on('data', (part: Buffer) => parts.push(part));
            incoming.on('end', () =>
              resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(parts) }),
            );
            incoming.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      },
    ).catch(() => undefined);
    if (!answer || fault?.kind === 'lose-answer' || response.destroyed) {
      request.socket.destroy();
      return;
    }
    const { connection: _connection, 'transfer-encoding': _encoding, ...headers } = answer.headers;
    response.writeHead(answer.status, headers);
    response.end(answer.body);
  }
}
