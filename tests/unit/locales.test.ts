/**
 * The messages files (public/_locales/<language>/messages.json) against each other and against the code: every
 * translation has exactly the English keys and placeholders, nothing is empty, every key the code asks for exists,
 * and every key is used somewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MessageEntry, MessagesFile } from './helpers/i18n';

const localesDirectory = new URL('../../public/_locales/', import.meta.url);
const languages = readdirSync(localesDirectory);
const files: Record<string, MessagesFile> = Object.fromEntries(
  languages.map((language) => [
    language,
    JSON.parse(readFileSync(new URL(`${language}/messages.json`, localesDirectory), 'utf8')) as MessagesFile,
  ]),
);
const english = files.en ?? {};
const englishKeys = Object.keys(english);
const translations = languages.filter((language) => language !== 'en');

function entryOf(language: string, key: string): MessageEntry {
  const entry = files[language]?.[key];
  if (!entry) throw new Error(`${language} has no ${key}`);
  return entry;
}

/** The named placeholders a message refers to ($name$), lower case: browsers match them in any case. */
function referencedPlaceholders(message: string): string[] {
  return [...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((match) => (match[1] ?? '').toLowerCase()).sort();
}

/** Which substitutions ($1…$9) a message takes, through its placeholders or directly. */
function substitutionsTaken(entry: MessageEntry): number[] {
  const direct = entry.message.replace(/\$\$/g, '').replace(/\$[A-Za-z0-9_@]+\$/g, '');
  const contents = Object.values(entry.placeholders ?? {}).map((placeholder) => placeholder.content);
  const numbers = [direct, ...contents].flatMap((text) => [...text.matchAll(/\$([1-9])/g)].map((m) => Number(m[1])));
  return [...new Set(numbers)].sort();
}

function sourceFiles(directory: URL): URL[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return sourceFiles(new URL(`${entry.name}/`, directory));
    return /\.tsx?$/.test(entry.name) ? [new URL(entry.name, directory)] : [];
  });
}

const source = sourceFiles(new URL('../../src/', import.meta.url))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');
const manifest = readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8');

/** The text between a call's parentheses, for every call of `name` in `text`. */
function callArguments(text: string, name: string): string[] {
  const calls: string[] = [];
  for (const match of text.matchAll(new RegExp(`\\b${name}\\(`, 'g'))) {
    const start = (match.index ?? 0) + match[0].length;
    let depth = 1;
    let end = start;
    while (depth > 0 && end < text.length) {
      if (text[end] === '(') depth += 1;
      if (text[end] === ')') depth -= 1;
      end += 1;
    }
    calls.push(text.slice(start, end - 1));
  }
  return calls;
}

/**
 * The keys the code names literally: the first argument of t() and tWithNodes() (both branches when it is a
 * conditional, `t(on ? 'a' : 'b')`), and the two forms given to tPlural(). Keys passed through variables are checked
 * by the type checker instead (MessageKey).
 */
function keysAskedFor(text: string): string[] {
  const literal = /'([a-z][A-Za-z0-9]*)'/g;
  const firstArgumentKeys = /(?:^|[?:])\s*'([a-z][A-Za-z0-9]*)'\s*(?=[,:)]|$)/g;
  return [
    ...['t', 'tWithNodes'].flatMap((name) =>
      callArguments(text, name).flatMap((call) => [...call.matchAll(firstArgumentKeys)].map((match) => match[1] ?? '')),
    ),
    ...callArguments(text, 'tPlural').flatMap((call) => [...call.matchAll(literal)].map((match) => match[1] ?? '')),
  ];
}

describe('the messages files', () => {
  it('ship English, the default locale, and at least one translation', () => {
    expect(languages).toContain('en');
    expect(translations.length).toBeGreaterThan(0);
    expect(JSON.parse(manifest).default_locale).toBe('en');
  });

  it('name keys in camelCase, distinct even ignoring case (browsers ignore it)', () => {
    for (const key of englishKeys) expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(new Set(englishKeys.map((key) => key.toLowerCase())).size).toBe(englishKeys.length);
  });

  it.each(translations)('%s has exactly the English keys', (language) => {
    expect(Object.keys(files[language] ?? {}).sort()).toEqual([...englishKeys].sort());
  });

  it.each(languages)('%s: every message has text and a description for translators', (language) => {
    for (const [key, entry] of Object.entries(files[language] ?? {})) {
      expect(entry.message.trim(), key).not.toBe('');
      expect(entry.description?.trim() ?? '', key).not.toBe('');
    }
  });

  it.each(languages)('%s: every placeholder a message names is defined, and every one defined is used', (language) => {
    for (const [key, entry] of Object.entries(files[language] ?? {})) {
      const defined = Object.keys(entry.placeholders ?? {})
        .map((name) => name.toLowerCase())
        .sort();
      expect([...new Set(referencedPlaceholders(entry.message))], key).toEqual(defined);
    }
  });

  it.each(translations)('%s has the same placeholders and substitutions as English, key by key', (language) => {
    for (const key of englishKeys) {
      const original = entryOf('en', key);
      const translated = entryOf(language, key);
      const contents = (entry: MessageEntry) =>
        Object.fromEntries(
          Object.entries(entry.placeholders ?? {}).map(([name, placeholder]) => [
            name.toLowerCase(),
            placeholder.content,
          ]),
        );
      expect(contents(translated), key).toEqual(contents(original));
      expect(substitutionsTaken(translated), key).toEqual(substitutionsTaken(original));
    }
  });

  it.each(languages)('%s names its own language for lang attributes and plural rules', (language) => {
    expect(entryOf(language, 'messagesLanguage').message).toBe(language.replace('_', '-'));
  });

  it.each(languages)('%s keeps the name and description within the stores’ limits', (language) => {
    // The name is also the manifest's short_name; Chrome shows at most 12 characters of it, and 132 of a description.
    expect(entryOf(language, 'extensionName').message.length).toBeLessThanOrEqual(12);
    expect(entryOf(language, 'extensionDescription').message.length).toBeLessThanOrEqual(132);
  });

  it('French uses its typography: no-break spaces before : ; ? ! and inside « », and typographic apostrophes', () => {
    for (const [key, entry] of Object.entries(files.fr ?? {})) {
      expect(entry.message, key).not.toMatch(/ [:;?!]|« | »|'/);
    }
  });
});

describe('the messages and the code', () => {
  it('every key the code asks for exists', () => {
    const asked = keysAskedFor(source);
    const fromManifest = [...manifest.matchAll(/__MSG_(\w+)__/g)].map((match) => match[1] ?? '');
    expect(asked.length).toBeGreaterThan(100);
    for (const key of [...asked, ...fromManifest]) expect(englishKeys, key).toContain(key);
  });

  it('every key is used by the code or the manifest (no dead keys)', () => {
    const unused = englishKeys.filter((key) => !source.includes(`'${key}'`) && !manifest.includes(`__MSG_${key}__`));
    expect(unused).toEqual([]);
  });
});
