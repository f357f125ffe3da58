// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { type LiveResult, useLiveQuery } from '../../../src/shared/ui/useLiveQuery';
import { makeDay } from '../helpers/records';

let db: SmartTagsDatabase;
beforeEach(async () => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
  await db.days.bulkAdd([makeDay('2026-11-20'), makeDay('2026-11-24'), makeDay('2026-11-25')]);
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

/** Every result the component rendered, in order, for the days from `from`. */
const seen: string[] = [];
function DaysFrom({ from }: { from: string }) {
  const result: LiveResult<number> = useLiveQuery(() => db.days.where('date').aboveOrEqual(from).count(), [from]);
  const shown = result.state === 'ready' ? `${from}: ${result.value}` : `${from}: ${result.state}`;
  seen.push(shown);
  return <p data-testid="shown">{shown}</p>;
}

describe('useLiveQuery', () => {
  it('never shows a result under other dependencies than it was read for', async () => {
    seen.length = 0;
    const { rerender } = render(<DaysFrom from="2026-11-24" />);
    await waitFor(() => expect(screen.getByTestId('shown').textContent).toBe('2026-11-24: 2'));
    rerender(<DaysFrom from="2026-11-01" />);
    await waitFor(() => expect(screen.getByTestId('shown').textContent).toBe('2026-11-01: 3'));
    expect(seen).not.toContain('2026-11-01: 2');
    expect(seen).toContain('2026-11-01: loading');
  });

  it('follows writes to the tables it read', async () => {
    render(<DaysFrom from="2026-11-24" />);
    await waitFor(() => expect(screen.getByTestId('shown').textContent).toBe('2026-11-24: 2'));
    await db.days.add(makeDay('2026-11-26'));
    await waitFor(() => expect(screen.getByTestId('shown').textContent).toBe('2026-11-24: 3'));
  });
});
