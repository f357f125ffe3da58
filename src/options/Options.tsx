import type { SmartTagsDatabase } from '../shared/db';
import { RecentPages } from '../shared/ui/RecentPages';

export function Options({ db }: { db: SmartTagsDatabase }) {
  return (
    <main class="options">
      <h1>smartTags</h1>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Instagram pages seen</h2>
        <RecentPages db={db} limit={100} />
      </section>
    </main>
  );
}
