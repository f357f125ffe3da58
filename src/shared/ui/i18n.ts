/**
 * Text for extension pages: the messages and formats of src/shared/text/i18n.ts (re-exported here, so a page imports all
 * its text helpers from one place), plus what only a page needs — messages whose placeholders are elements
 * (`tWithNodes`) and the page's own language and title (`localizeDocument`). Kept apart from the core because it
 * imports preact, which the background must not bundle.
 */
import { type ComponentChildren, Fragment, h, type VNode } from 'preact';
import { type MessageKey, messagesLanguage, t } from '../text/i18n';

export {
  cachedFormat,
  formatCount,
  formatDateTime,
  formatList,
  type MessageKey,
  messagesByName,
  t,
  tPlural,
  uiLanguage,
} from '../text/i18n';

// Private-use characters mark where each node goes; they cannot occur in a message.
const nodeStart = '\uE000';
const nodeEnd = '\uE001';
const nodeMark = new RegExp(`${nodeStart}(\\d)${nodeEnd}`);

/**
 * A message whose placeholders are elements (a link, a <time>, bold text) rather than strings: the message is
 * looked up with a marker per node, then split around the markers, so a translation can put them in any order.
 */
export function tWithNodes(key: MessageKey, ...nodes: ComponentChildren[]): VNode {
  const marked = t(key, ...nodes.map((_, index) => `${nodeStart}${index}${nodeEnd}`));
  // Splitting on a pattern with a group keeps the group: even entries are text, odd ones a node's index.
  const parts = marked.split(nodeMark).map((part, index) => (index % 2 === 0 ? part : nodes[Number(part)]));
  return h(Fragment, null, ...parts);
}

/** Sets a page's language and title from the messages, before it renders (the HTML files carry English defaults). */
export function localizeDocument(titleKey: MessageKey): void {
  document.documentElement.lang = messagesLanguage();
  document.title = t(titleKey);
}
