/**
 * Text and formats in the browser's language, for extension pages and the background alike.
 *
 * Every sentence smartTags shows is a message in public/_locales/<language>/messages.json, looked up with the
 * browser's synchronous `i18n.getMessage`: the browser picks the file for its UI language and falls back to English
 * (`default_locale`). Dynamic parts are the messages' placeholders, filled in order by `t(key, ...substitutions)`.
 * Numbers, dates and durations are formatted with Intl in the browser's UI language (`uiLanguage()`).
 *
 * The module reads the `chrome` global, which Chrome and Firefox both give extension pages and Manifest V3 backgrounds
 * (Chrome's service worker, Firefox's event page), rather than webextension-polyfill: the lookups are synchronous, and
 * unit tests install a fake on that global (tests/unit/setup.ts) whatever they do with the polyfill. It imports
 * nothing else, so the background's bundle stays free of preact: messages made of elements and the page's own
 * language and title are in src/shared/ui/i18n.ts, which re-exports this module for pages. Content scripts show no
 * text and do not use it.
 */
// Type only: the English file names the keys; its text is never bundled.
import type englishMessages from '../../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof englishMessages;

interface BrowserI18n {
  getMessage(key: string, substitutions?: string | string[]): string;
  getUILanguage(): string;
}

function browserI18n(): BrowserI18n | undefined {
  return (globalThis as { chrome?: { i18n?: BrowserI18n } }).chrome?.i18n;
}

/**
 * The message `key` in the browser's language, its placeholders filled with `substitutions` in order. A message the
 * browser does not know shows as `[key]`, so a missing one is seen at once instead of leaving a silent gap.
 */
export function t(key: MessageKey, ...substitutions: string[]): string {
  const message = browserI18n()?.getMessage(key, substitutions) ?? '';
  return message === '' ? `[${key}]` : message;
}

/**
 * Names mapped to their messages, each looked up when read rather than when the module loads — for tables of labels
 * that other code reads as plain strings (`surfaceLabels[surface]`).
 */
export function messagesByName<Name extends string>(keys: Record<Name, MessageKey>): Readonly<Record<Name, string>> {
  const labels = {} as Record<Name, string>;
  for (const name of Object.keys(keys) as Name[]) {
    Object.defineProperty(labels, name, { get: () => t(keys[name]), enumerable: true });
  }
  return labels;
}

/** The browser's UI language (e.g. "fr-FR"), for Intl. It may have no translation: the text is then English. */
export function uiLanguage(): string {
  return browserI18n()?.getUILanguage() || 'en';
}

/** The language the messages are actually in (the translation the browser picked, or English): for lang and plurals. */
export function messagesLanguage(): string {
  const language = t('messagesLanguage');
  return language.startsWith('[') ? 'en' : language;
}

const formats = new Map<string, unknown>();

/** One Intl formatter per language and purpose, made once: they are costly to create and used in every table row. */
export function cachedFormat<Format>(language: string, purpose: string, make: (language: string) => Format): Format {
  const id = `${language}|${purpose}`;
  let format = formats.get(id) as Format | undefined;
  if (format === undefined) {
    format = make(language);
    formats.set(id, format);
  }
  return format;
}

/** A number in the UI language: "12,440" in English, "12 440" in French. */
export function formatCount(value: number): string {
  return cachedFormat(uiLanguage(), 'number', (language) => new Intl.NumberFormat(language)).format(value);
}

const dateTimeStyles = {
  /** "Dec 1, 2026, 9:00:05 AM": when something happened, to the second (logs, ledgers). */
  seconds: { dateStyle: 'medium', timeStyle: 'medium' },
  /** "Dec 1, 2026, 9:00 AM". */
  minutes: { dateStyle: 'medium', timeStyle: 'short' },
  /** "9:00 AM": a time today. */
  time: { timeStyle: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** A moment (epoch milliseconds) in the UI language and the person's time zone. */
export function formatDateTime(epochMs: number, style: keyof typeof dateTimeStyles): string {
  return cachedFormat(
    uiLanguage(),
    `date-time-${style}`,
    (language) => new Intl.DateTimeFormat(language, dateTimeStyles[style]),
  ).format(epochMs);
}

/**
 * A counted phrase: `one` or `other` by the plural rules of the messages' language, with the count formatted as its
 * first placeholder ("1 batch", "3 batches"; French uses `one` for 0 too). The browser's i18n has no plural forms,
 * so each counted phrase is a pair of messages named …One and …Other.
 */
export function tPlural(count: number, one: MessageKey, other: MessageKey): string {
  const category = cachedFormat(messagesLanguage(), 'plural', (language) => new Intl.PluralRules(language)).select(
    count,
  );
  return t(category === 'one' ? one : other, formatCount(count));
}

/** Items as a sentence lists them in the messages' language: "A and B", "A, B, and C"; « A » et « B » in French. */
export function formatList(items: readonly string[]): string {
  return cachedFormat(
    messagesLanguage(),
    'list',
    (language) => new Intl.ListFormat(language, { type: 'conjunction' }),
  ).format(items);
}
