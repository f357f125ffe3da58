/**
 * A stand-in for the browser's `i18n` API in unit tests, backed by the real messages files and following the
 * browser's substitution rules: named placeholders (`$name$`, any case) become their `content`, then `$1`…`$9` become
 * the substitutions (missing ones empty) and `$$` a dollar sign. Unknown keys give an empty string, as in browsers.
 * tests/unit/setup.ts installs it on the `chrome` global that src/shared/text/i18n.ts reads.
 */
import english from '../../../public/_locales/en/messages.json';
import french from '../../../public/_locales/fr/messages.json';

export interface MessageEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type MessagesFile = Record<string, MessageEntry>;

/** Every shipped translation, by folder name under public/_locales. */
const messageFiles: Record<string, MessagesFile> = { en: english, fr: french };

export type TestLanguage = 'en' | 'fr';

/** A message with its placeholders and substitutions filled in, the way Chrome and Firefox do it. */
export function formatMessage(entry: MessageEntry, substitutions: readonly string[]): string {
  const placeholders = new Map(
    Object.entries(entry.placeholders ?? {}).map(([name, placeholder]) => [name.toLowerCase(), placeholder.content]),
  );
  const named = entry.message.replace(
    /\$([A-Za-z0-9_@]+)\$/g,
    (whole, name: string) => placeholders.get(name.toLowerCase()) ?? whole,
  );
  return named.replace(/\$(\$|[1-9])/g, (_whole, what: string) =>
    what === '$' ? '$' : (substitutions[Number(what) - 1] ?? ''),
  );
}

function lookup(file: MessagesFile): Map<string, MessageEntry> {
  // Message names are case-insensitive in browsers.
  return new Map(Object.entries(file).map(([key, entry]) => [key.toLowerCase(), entry]));
}

const state = { messages: lookup(english), uiLanguage: 'en-US' };

const fakeI18n = {
  getMessage(key: string, substitutions?: string | string[]): string {
    const entry = state.messages.get(key.toLowerCase());
    if (!entry) return '';
    return formatMessage(entry, substitutions === undefined ? [] : [substitutions].flat());
  },
  getUILanguage(): string {
    return state.uiLanguage;
  },
};

/** Shows the pages in another language; tests/unit/setup.ts sets English back after every test. */
export function setTestLanguage(language: TestLanguage, uiLanguage: string = language === 'en' ? 'en-US' : 'fr-FR') {
  const file = messageFiles[language];
  if (!file) throw new Error(`No messages for ${language}.`);
  state.messages = lookup(file);
  state.uiLanguage = uiLanguage;
}

export function installFakeI18n(): void {
  const existing = (globalThis as { chrome?: object }).chrome;
  Object.defineProperty(globalThis, 'chrome', {
    value: { ...existing, i18n: fakeI18n },
    configurable: true,
    writable: true,
  });
}
