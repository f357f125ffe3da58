import browser from 'webextension-polyfill';
import type { SmartTagsDatabase } from '../shared/db';
import { RecentPages } from '../shared/ui/RecentPages';

export function Popup({ db }: { db: SmartTagsDatabase }) {
  return (
    <main class="popup">
      <h1>smartTags</h1>
      <h2>Recently seen on Instagram</h2>
      <RecentPages db={db} limit={5} />
      <p>
        <button type="button" onClick={() => browser.runtime.openOptionsPage()}>
          Open dashboard
        </button>
      </p>
    </main>
  );
}
