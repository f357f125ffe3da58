/**
 * An upload the server acknowledged is stored for good: clients drop a batch once it is acknowledged and never send
 * it again. The real server as its own process is killed outright (SIGKILL, no chance to close anything) while several
 * clients stream uploads, then restarted on the same file; every acknowledged day must be there, as sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../server/store';
import { installationCreated, installationData } from '../../src/shared/contracts/upload';
import { bearer, makeBatchV2, makeDay, type ServerProcess, spawnServer } from './helpers';

let directory: string | undefined;
const running: ServerProcess[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const server of running.splice(0)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

/** The date `n` days after 1 January 2020. */
function dateAfter(n: number): string {
  return new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
}

describe('durability', () => {
  it('opens the database with synchronous = FULL, so a commit is on disk before the answer goes out', async () => {
    directory = mkdtempSync(join(tmpdir(), 'smarttags-server-durability-'));
    const pragma = vi.spyOn(Database.prototype, 'pragma');
    await (await openStore(join(directory, 'pragma.sqlite'))).close();
    expect(pragma.mock.calls.map((call) => call[0])).toContain('synchronous = FULL');
  });

  it('keeps every acknowledged upload of concurrent clients across a SIGKILL mid-stream', {
    timeout: 60_000,
  }, async () => {
    directory = mkdtempSync(join(tmpdir(), 'smarttags-server-durability-'));
    const databasePath = join(directory, 'durable.sqlite');
    const first = await spawnServer(['--database', databasePath]);
    running.push(first);

    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const response = await fetch(`${first.url}/v1/installations`, { method: 'POST' });
        return installationCreated.parse(await response.json());
      }),
    );
    /** Per client: date → the activeMs of the day the server acknowledged. */
    const acknowledged = clients.map(() => new Map<string, number>());
    let failures = 0;
    let stop = false;
    const stream = async (clientIndex: number) => {
      const client = clients[clientIndex];
      const acked = acknowledged[clientIndex];
      if (!client || !acked) return;
      for (let n = 0; !stop; n += 2) {
        const days = [n, n + 1].map((offset) => makeDay(dateAfter(offset), clientIndex * 1_000_000 + offset + 1));
        const batch = makeBatchV2(days.map((day) => [day, 1] as const));
        try {
          const response = await fetch(`${first.url}/v1/uploads`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': batch.batchId, ...bearer(client.token) },
            body: JSON.stringify(batch),
          });
          await response.arrayBuffer();
          if (response.ok) for (const day of days) acked.set(day.date, day.activeMs);
        } catch {
          // The kill: this batch was in flight, unacknowledged; the client would keep it and send it again.
          failures += 1;
        }
      }
    };
    const streams = clients.map((_, index) => stream(index));
    const total = () => acknowledged.reduce((sum, acked) => sum + acked.size, 0);
    await vi.waitFor(() => expect(total()).toBeGreaterThanOrEqual(120), { timeout: 30_000, interval: 10 });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    stop = true;
    await Promise.all(streams);
    expect(failures).toBeGreaterThan(0);

    const second = await spawnServer(['--database', databasePath]);
    running.push(second);
    for (const [index, client] of clients.entries()) {
      const response = await fetch(`${second.url}/v1/installations/me/data`, { headers: bearer(client.token) });
      const data = installationData.parse(await response.json());
      const stored = new Map(data.days.map((day) => [day.date, day]));
      for (const [date, activeMs] of acknowledged[index] ?? []) {
        expect(stored.get(date), `client ${index}, ${date}`).toMatchObject({ ...makeDay(date, activeMs), revision: 1 });
      }
    }
  });
});
