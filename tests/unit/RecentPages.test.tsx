// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmartTagsDatabase } from '../../src/shared/db';
import { RecentPages } from '../../src/shared/ui/RecentPages';

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

describe('RecentPages', () => {
  it('says what to do when nothing has been seen yet', async () => {
    render(<RecentPages db={db} limit={5} />);
    expect(await screen.findByTestId('pages-empty')).toHaveProperty(
      'textContent',
      expect.stringContaining('No Instagram page seen yet'),
    );
  });

  it('lists the newest pages first, up to the limit', async () => {
    await db.pagesSeen.bulkAdd([
      { path: '/', seenAt: 1000 },
      { path: '/explore/', seenAt: 3000 },
      { path: '/reels/', seenAt: 2000 },
    ]);
    render(<RecentPages db={db} limit={2} />);
    const list = await screen.findByTestId('pages');
    expect([...list.querySelectorAll('code')].map((code) => code.textContent)).toEqual(['/explore/', '/reels/']);
  });

  it('updates when the background stores another page', async () => {
    render(<RecentPages db={db} limit={5} />);
    await screen.findByTestId('pages-empty');
    await db.pagesSeen.add({ path: '/direct/inbox/', seenAt: 5000 });
    const list = await screen.findByTestId('pages');
    expect(list.textContent).toContain('/direct/inbox/');
  });
});
