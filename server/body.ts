/**
 * Reading a request body within bounds, gzip-compressed or not.
 *
 * A body that is refused (too large, a corrupt gzip stream, an encoding the server does not speak) is still read to
 * its end and thrown away before the answer goes out, up to `maxDiscardBytes`: a server that stops reading and closes
 * while the client is still sending makes most clients report a broken connection (a reset) instead of the 413 or 400
 * that tells them what to do. Past that bound the client is sending far more than any upload could be, and the server
 * stops reading and closes the connection.
 *
 * A gzip body is inflated as it arrives and refused as soon as its output passes `maxDecodedBytes`, so a gzip bomb
 * (a kilobyte that inflates to gigabytes) costs at most that much memory.
 */
import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

export interface BodyLimits {
  /** Bytes on the wire: the body as sent, compressed when gzip. */
  maxBodyBytes: number;
  /** Bytes after decompression (the JSON itself). */
  maxDecodedBytes: number;
  /** Wire bytes of a refused body read and thrown away before the server gives up and closes the connection. */
  maxDiscardBytes: number;
}

export type ContentEncoding = 'identity' | 'gzip';

export type BodyRefusal =
  | 'too-large'
  | 'decoded-too-large'
  | 'corrupt-gzip'
  | 'unsupported-encoding'
  /** The client went away (or the request timed out) before the body ended: nobody is left to answer. */
  | 'aborted';

export type BodyOutcome =
  | { kind: 'read'; body: Buffer }
  /** `readToEnd` false: the server stopped reading, so the connection must close after the answer. */
  | { kind: 'refused'; refusal: BodyRefusal; readToEnd: boolean };

/** `Content-Encoding` as the server understands it; undefined for anything else (answered 415). */
export function contentEncoding(header: string | undefined): ContentEncoding | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}

/**
 * Reads `stream` (a request body) to its end. `encoding` undefined refuses the body as `unsupported-encoding`, after
 * reading it like any refused body. `declaredLength` is the Content-Length, when there is one.
 */
export function readBody(
  stream: Readable,
  encoding: ContentEncoding | undefined,
  declaredLength: number | undefined,
  limits: BodyLimits,
): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let wireBytes = 0;
    let decodedBytes = 0;
    const chunks: Buffer[] = [];
    let refusal: BodyRefusal | undefined;
    let gunzip: Gunzip | undefined;

    const finish = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onAbort);
      stream.off('close', onClose);
      gunzip?.destroy();
      chunks.length = 0;
      resolve(outcome);
    };
    const refuse = (reason: BodyRefusal) => {
      if (refusal !== undefined) return;
      refusal = reason;
      chunks.length = 0;
      gunzip?.destroy();
      gunzip = undefined;
      // Refused by the inflater after the last wire byte: nothing is left to read.
      if (stream.readableEnded) finish({ kind: 'refused', refusal: reason, readToEnd: true });
    };
    const giveUpIfOverBound = (): boolean => {
      if (wireBytes <= limits.maxDiscardBytes) return false;
      // Stop reading: the socket is closed after the answer, so what the client still sends goes nowhere.
      stream.pause();
      finish({ kind: 'refused', refusal: refusal ?? 'too-large', readToEnd: false });
      return true;
    };

    function onData(chunk: Buffer | string) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      wireBytes += bytes.length;
      if (refusal === undefined && wireBytes > limits.maxBodyBytes) refuse('too-large');
      if (refusal !== undefined) {
        giveUpIfOverBound();
        return;
      }
      if (gunzip) {
        gunzip.write(bytes);
      } else {
        decodedBytes += bytes.length;
        if (decodedBytes > limits.maxDecodedBytes) refuse('decoded-too-large');
        else chunks.push(bytes);
      }
    }
    function onEnd() {
      if (refusal !== undefined) {
        finish({ kind: 'refused', refusal, readToEnd: true });
      } else if (gunzip) {
        // The rest comes from the gunzip stream's own end (or error, for a truncated stream).
        gunzip.end();
      } else {
        finish({ kind: 'read', body: Buffer.concat(chunks, decodedBytes) });
      }
    }
    function onAbort() {
      finish({ kind: 'refused', refusal: 'aborted', readToEnd: false });
    }
    function onClose() {
      // 'close' before 'end': the connection went away mid-body.
      if (!stream.readableEnded) onAbort();
    }

    if (encoding === undefined) refusal = 'unsupported-encoding';
    else if (declaredLength !== undefined && declaredLength > limits.maxBodyBytes) refusal = 'too-large';
    if (declaredLength !== undefined && declaredLength > limits.maxDiscardBytes) {
      // Not worth reading at all: the answer goes out at once, and the connection closes after it.
      finish({ kind: 'refused', refusal: refusal ?? 'too-large', readToEnd: false });
      return;
    }

    if (refusal === undefined && encoding === 'gzip') {
      const inflating = createGunzip();
      gunzip = inflating;
      inflating.on('data', (chunk: Buffer) => {
        if (gunzip !== inflating) return;
        decodedBytes += chunk.length;
        if (decodedBytes > limits.maxDecodedBytes) refuse('decoded-too-large');
        else chunks.push(chunk);
      });
      inflating.on('end', () => {
        if (gunzip === inflating) finish({ kind: 'read', body: Buffer.concat(chunks, decodedBytes) });
      });
      inflating.on('error', () => {
        if (gunzip === inflating) refuse('corrupt-gzip');
      });
    }

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onAbort);
    stream.on('close', onClose);
    stream.resume();
  });
}
