import { render } from 'preact';
import { pageDatabaseOptions, SmartTagsDatabase } from '../shared/storage/db';
import { localizeDocument } from '../shared/ui/i18n';
import { Popup } from './Popup';

/**
 * Shows the full popup in place of the total ./start.ts painted first (`firstTotal`, null when it painted none): it is
 * rendered, and the first paint removed, in one task, so no frame shows neither. The full popup shows that total
 * until its own reads are done.
 */
export function mountPopup(firstTotal: number | null): void {
  localizeDocument('extensionName');
  const root = document.getElementById('app');
  if (!root) return;
  render(<Popup db={new SmartTagsDatabase(undefined, pageDatabaseOptions)} firstTotal={firstTotal} />, root);
  document.getElementById('first-paint')?.remove();
}
