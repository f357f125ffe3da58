/**
 * What a client sees over real TCP connections (the app listening on a loopback port, node's fetch and raw sockets),
 * where `app.inject()` cannot tell: refused bodies answered rather than cut off, gzip bodies, and slow clients timed out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiError,
  bodyLimitHeader,
  installationCreated,
  installationData,
  uploadAccepted,
  uploadLimits,
} from '../../src/shared/contracts/upload';
import {
  bearer,
  createInstallation,
  listen,
  makeBatch,
  makeDay,
  readData,
  spawnServer,
  startServer,
  type TestServer,
} from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startServer>[0] = {}) {
  server = await startServer(options);
  const url = await listen(server);
  const { token } = await createInstallation(server.app);
  return { server, url, token };
}

function uploadHeaders(token: string, batchId: string, extra: Record<string, string> = {}) {
  return { 'content-type': 'application/json', 'idempotency-key': batchId, ...bearer(token), ...extra };
}

/** A body sent in chunks of `chunkBytes` without a Content-Length (Transfer-Encoding: chunked). */
function chunked(body: Uint8Array, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= body.length) {
        controller.close();
        return;
      }
      controller.enqueue(body.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

/** What the extension does: the JSON through CompressionStream('gzip'). */
async function gzipLikeTheExtension(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A JSON-looking body of `bytes` bytes. */
function padding(bytes: number): Uint8Array<ArrayBuffer> {
  const text = `{"padding":"${'z'.repeat(bytes - 15)}"}`;
  return new TextEncoder().encode(text);
}

describe('a body over the limit, over real sockets', { timeout: 60_000 }, () => {
  // The server in its own process, as in production: with client and server sharing one event loop, the race between
  // the client still sending and the server closing (the client then sees EPIPE or a reset, not the 413) rarely shows.
  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('answers 20 uploads of 2 MB out of 20 with 413 (%s)', async (_name, isChunked) => {
    const directory = mkdtempSync(join(tmpdir(), 'smarttags-server-413-'));
    const spawned = await spawnServer(['--database', join(directory, 'db.sqlite')]);
    try {
      const registered = await fetch(`${spawned.url}/v1/installations`, { method: 'POST' });
      const { token } = installationCreated.parse(await registered.json());
      const body = padding(2 * 1024 * 1024);
      const outcomes: (number | string)[] = [];
      for (let index = 0; index < 20; index += 1) {
        try {
          const response = await fetch(`${spawned.url}/v1/uploads`, {
            method: 'POST',
            headers: uploadHeaders(token, `oversized-${index}`),
            body: isChunked ? chunked(body) : body,
            duplex: 'half',
          } as RequestInit);
          const answer = apiError.parse(await response.json());
          expect(answer.error).toEqual({ code: 'payload-too-large', message: 'the body is larger than 1048576 bytes' });
          expect(response.headers.get(bodyLimitHeader)).toBe('1048576');
          outcomes.push(response.status);
        } catch (error) {
          outcomes.push(String(error instanceof Error && error.cause instanceof Error ? error.cause.message : error));
        }
      }
      expect(outcomes).toEqual(Array.from({ length: 20 }, () => 413));
    } finally {
      spawned.child.kill('SIGKILL');
      await spawned.exited;
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('stops reading a body without end after 16 times the limit, and closes the connection', async () => {
    const { url, token } = await start({ bodyLimit: 64 * 1024 });
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${token}\r\nIdempotency-Key: endless-body\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const chunk = `${(64 * 1024).toString(16)}\r\n${'z'.repeat(64 * 1024)}\r\n`;
    let sent = 0;
    let received = '';
    socket.on('data', (data) => {
      received += String(data);
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    let open = true;
    void closed.then(() => {
      open = false;
    });
    // Writes as fast as the server reads, for at most 64 MB: far past the 1 MB (16 × 64 KB) the server reads.
    while (open && sent < 64 * 1024 * 1024) {
      if (!socket.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 5));
      sent += 64 * 1024;
    }
    await closed;
    expect(open).toBe(false);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    // When the socket's buffers still held the answer, it is the 413; a reset may also have eaten it.
    if (received !== '') expect(received).toMatch(/^HTTP\/1\.1 413/);
  });

  it('answers a Content-Length over 16 times the limit at once with 413, without reading it', async () => {
    const { url, token } = await start({ bodyLimit: 64 * 1024 });
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (data) => {
      received += String(data);
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      'POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${token}\r\nIdempotency-Key: huge-body\r\nContent-Length: ${2 ** 30}\r\n\r\n{"a":`,
    );
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(received.toLowerCase()).toContain('connection: close');
  });
});

describe('gzip uploads', { timeout: 60_000 }, () => {
  it('stores a batch sent with Content-Encoding: gzip, as the extension compresses it', async () => {
    const { url, token } = await start();
    const batch = makeBatch([makeDay('2026-11-23'), makeDay('2026-11-24', 900_000)]);
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, batch.batchId, { 'content-encoding': 'gzip' }),
      body: await gzipLikeTheExtension(JSON.stringify(batch)),
    });
    expect(response.status).toBe(200);
    expect(uploadAccepted.parse(await response.json())).toEqual({ accepted: 2, duplicate: false });
    const data = installationData.parse((await readData(server?.app as TestServer['app'], token)).json());
    expect(data.days.map((day) => [day.date, day.activeMs])).toEqual([
      ['2026-11-23', 600_000],
      ['2026-11-24', 900_000],
    ]);
  });

  it('accepts gzip up to the decoded limit: a body larger than the wire limit once inflated', async () => {
    const { url, token } = await start({ bodyLimit: 4096, decodedBodyLimit: 65_536 });
    const batch = makeBatch(
      Array.from({ length: 30 }, (_, index) => makeDay(`2026-09-${String(index + 1).padStart(2, '0')}`)),
    );
    const text = JSON.stringify(batch);
    const wire = await gzipLikeTheExtension(text);
    expect(text.length).toBeGreaterThan(4096);
    expect(wire.length).toBeLessThan(4096);
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, batch.batchId, { 'content-encoding': 'gzip' }),
      body: wire,
    });
    expect(response.status).toBe(200);
    expect((await response.json()).accepted).toBe(30);
  });

  it('refuses a gzip bomb with 413 without inflating it all', async () => {
    const { url, token } = await start();
    // 16 gzip members of 64 MiB of zeros each: about 1 MB on the wire, 1 GiB inflated.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 15 }, () => member));
    expect(bomb.length).toBeLessThan(1_048_576);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, 'gzip-bomb-batch', { 'content-encoding': 'gzip' }),
      body: bomb,
    });
    expect(response.status).toBe(413);
    expect(apiError.parse(await response.json()).error).toEqual({
      code: 'payload-too-large',
      message: 'the JSON is larger than 4194304 bytes once decompressed',
    });
    // Inflating 960 MiB into memory would take seconds and most of a gigabyte.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('bounds a plain body by the decoded limit too, when that is the smaller', async () => {
    const { url, token } = await start({ decodedBodyLimit: 4096 });
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, 'plain-large-batch'),
      body: padding(8192),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toBe('the JSON is larger than 4096 bytes once decompressed');
  });

  it('refuses gzip over the wire limit with 413', async () => {
    const { url, token } = await start({ bodyLimit: 4096 });
    const random = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(Math.random() * 256)));
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, 'big-gzip-batch', { 'content-encoding': 'gzip' }),
      body: gzipSync(random),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toBe('the body is larger than 4096 bytes');
  });

  it.each([
    ['truncated', (gzip: Buffer) => gzip.subarray(0, gzip.length - 10)],
    [
      'corrupted in the middle',
      (gzip: Buffer) => Buffer.concat([gzip.subarray(0, 20), Buffer.alloc(40, 0xff), gzip.subarray(60)]),
    ],
    ['not gzip at all', (gzip: Buffer) => Buffer.from(gzip.toString('base64'))],
    ['empty', () => Buffer.alloc(0)],
  ])('answers a gzip stream that is %s with 400', async (_name, damage) => {
    const { url, token } = await start();
    const batch = makeBatch([makeDay('2026-11-24')]);
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, batch.batchId, { 'content-encoding': 'gzip' }),
      body: new Uint8Array(damage(gzipSync(JSON.stringify(batch)))),
    });
    expect(response.status).toBe(400);
    expect(apiError.parse(await response.json()).error).toEqual({
      code: 'bad-request',
      message: 'the body is not a valid gzip stream',
    });
    expect(installationData.parse((await readData(server?.app as TestServer['app'], token)).json()).days).toEqual([]);
  });

  it.each(['br', 'deflate', 'compress', 'gzip, br'])('answers Content-Encoding: %s with 415', async (encoding) => {
    const { url, token } = await start();
    const batch = makeBatch([makeDay('2026-11-24')]);
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, batch.batchId, { 'content-encoding': encoding }),
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(415);
    expect(apiError.parse(await response.json()).error.code).toBe('unsupported-media-type');
  });

  it('accepts Content-Encoding: identity', async () => {
    const { url, token } = await start();
    const batch = makeBatch([makeDay('2026-11-24')]);
    const response = await fetch(`${url}/v1/uploads`, {
      method: 'POST',
      headers: uploadHeaders(token, batch.batchId, { 'content-encoding': 'identity' }),
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(200);
  });
});

describe('POST /v1/installations takes no body', () => {
  it('creates an installation when there is none, or an empty one', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/v1/installations`, { method: 'POST' })).status).toBe(201);
    const empty = await fetch(`${url}/v1/installations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    expect(empty.status).toBe(201);
  });

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('refuses a body (%s) with 400', async (_name, isChunked) => {
    const { url } = await start();
    const body = new TextEncoder().encode('{"installationId":"mine"}');
    const response = await fetch(`${url}/v1/installations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: isChunked ? chunked(body, 8) : body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(400);
    expect(apiError.parse(await response.json()).error).toEqual({
      code: 'bad-request',
      message: 'POST /v1/installations takes no body',
    });
  });
});

describe('slow clients', { timeout: 20_000 }, () => {
  it('times headers and requests out after 30 s by default, checked every second, and idle connections after 72 s', async () => {
    server = await startServer();
    const node = server.app.server;
    expect([node.requestTimeout, node.headersTimeout]).toEqual([30_000, 30_000]);
    // An idle keep-alive connection: fastify's default, as docs/SERVER.md says.
    expect(node.keepAliveTimeout).toBe(72_000);
    expect((node as typeof node & { connectionsCheckingInterval: number }).connectionsCheckingInterval).toBe(1000);
  });

  /** Connects, sends `start`, then `dribble` every 100 ms; answers when the server ended the connection, and what it said. */
  async function slowClient(url: string, start: string, dribble?: string) {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (data) => {
      received += String(data);
    });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = performance.now();
    socket.write(start);
    const timer = dribble ? setInterval(() => socket.writable && socket.write(dribble), 100) : undefined;
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(timer);
    return { ms: performance.now() - started, received };
  }

  it('ends a connection whose headers never finish within the timeout', async () => {
    const { url } = await start({ requestTimeoutMs: 1500 });
    const { ms, received } = await slowClient(url, 'POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty');
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(2600);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('ends a connection whose headers arrive a byte at a time within the timeout', async () => {
    const { url } = await start({ requestTimeoutMs: 1500 });
    const { ms } = await slowClient(url, 'GET /healthz HTTP/1.1\r\n', 'X');
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(2600);
  });

  it('ends a connection whose body dribbles in within the timeout', async () => {
    const { url, token } = await start({ requestTimeoutMs: 1500 });
    const { ms, received } = await slowClient(
      url,
      'POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${token}\r\nIdempotency-Key: slow-batch\r\nContent-Length: 100000\r\n\r\n{`,
      ' ',
    );
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(2600);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    // The server is still there for everyone else.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe('GET /v1/limits', () => {
  it('announces the limits and the accepted contract versions, without a token', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/v1/limits`);
    expect(response.status).toBe(200);
    expect(uploadLimits.parse(await response.json())).toEqual({
      maxBodyBytes: 1_048_576,
      maxDecodedBytes: 4_194_304,
      uploadVersions: { oldest: 1, newest: 2 },
    });
  });

  it('follows the settings, and every answer carries the body limit header', async () => {
    const { url, token } = await start({ bodyLimit: 4096, decodedBodyLimit: 65_536 });
    const limits = await fetch(`${url}/v1/limits`);
    expect(await limits.json()).toMatchObject({ maxBodyBytes: 4096, maxDecodedBytes: 65_536 });
    const answers = [
      limits,
      await fetch(`${url}/healthz`),
      await fetch(`${url}/nowhere`),
      await fetch(`${url}/v1/installations/me/data`),
      await fetch(`${url}/v1/installations/me/data`, { headers: bearer(token) }),
      await fetch(`${url}/v1/uploads`, {
        method: 'POST',
        headers: uploadHeaders(token, 'too-large-batch'),
        body: padding(8192),
      }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 401, 200, 413]);
    for (const answer of answers) expect(answer.headers.get(bodyLimitHeader)).toBe('4096');
  });
});
