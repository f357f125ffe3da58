/**
 * Parses the follower, following and post counts Instagram shows, in the page's language (`html[lang]`).
 *
 * - Full numbers use a grouping separator that depends on the language (`1,234` en; `1.234` de, es, pt, id, tr;
 *   `1 234` with U+00A0 or U+202F in fr, ru). Counts are whole numbers, so without a compact suffix every separator is
 *   grouping: the value is exact.
 * - Compact numbers (`12.4K`, `1,2 Mio.`, `12,3 тыс.`, `1.2만`, `12.3 लाख` …) are rounded; with a suffix the last
 *   separator is the decimal one. The suffix's meaning depends on the language: `B` is a billion in English and a
 *   thousand (bin) in Turkish; `M` is a million in most languages and a billion (miliar) in Indonesian; `mil` is a
 *   thousand in Spanish and Portuguese, `mi` a million in Portuguese.
 *
 * Pure; the table of forms is tested in tests/unit/counts.test.ts.
 */

import { usernameSource } from './routes';
export interface ParsedCount {
  value: number;
  /** False when the page showed a rounded, abbreviated number. */
  exact: boolean;
}

type SuffixTable = Record<string, number>;

const thousand = 1e3;
const million = 1e6;
const billion = 1e9;

/** Suffixes understood in every language (Latin K/M), then the language's own, which win on conflict. */
const commonSuffixes: SuffixTable = { k: thousand, m: million, b: billion };

const suffixesByLanguage: Record<string, SuffixTable> = {
  de: { tsd: thousand, mio: million, mrd: billion },
  es: { mil: thousand, m: million },
  pt: { mil: thousand, mi: million, bi: billion },
  fr: { k: thousand, m: million, md: billion },
  it: { mila: thousand, mln: million, mld: billion },
  tr: { b: thousand, bin: thousand, mn: million, mr: billion, mlr: billion },
  id: { rb: thousand, jt: million, m: billion, t: 1e12 },
  ru: { тыс: thousand, млн: million, млрд: billion },
  uk: { тис: thousand, млн: million, млрд: billion },
  ko: { 천: thousand, 만: 1e4, 억: 1e8 },
  ja: { 千: thousand, 万: 1e4, 億: 1e8 },
  zh: { 千: thousand, 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 },
  hi: { हज़ार: thousand, हजार: thousand, लाख: 1e5, करोड़: 1e7 },
};

function languageOf(lang: string | undefined): string {
  return (lang ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
}

function suffixesFor(lang: string | undefined): SuffixTable {
  return { ...commonSuffixes, ...suffixesByLanguage[languageOf(lang)] };
}

const separators = /[.,\u00A0\u202F\u2009 ']/;
const numberAtStart = /^\s*(\d[\d.,\u00A0\u202F\u2009 ']*)/u;

/**
 * Parses a count at the start of `text` (e.g. "12,437", "1.1M followers", "12,3 тыс. подписчиков"). Returns the
 * count and the text after it, or undefined when the text does not start with a number.
 */
function parseCountPrefix(text: string, lang?: string): { count: ParsedCount; rest: string } | undefined {
  const match = numberAtStart.exec(text.normalize('NFC'));
  if (!match?.[1]) return undefined;
  // A trailing separator belongs to the text, not the number ("1 234 abonnés": the space before the word).
  const digits = match[1].replace(/[.,\u00A0\u202F\u2009 ']+$/u, '');
  let rest = text.normalize('NFC').slice(match[0].indexOf(match[1]) + digits.length);
  const table = suffixesFor(lang);
  const suffix = matchSuffix(rest, table);
  if (suffix) {
    rest = rest.slice(suffix.length);
    const value = parseDecimal(digits) * (table[suffix.key] ?? 1);
    if (!Number.isFinite(value)) return undefined;
    return { count: { value: Math.round(value), exact: false }, rest };
  }
  const value = Number(digits.replace(new RegExp(separators.source, 'gu'), ''));
  if (!Number.isSafeInteger(value)) return undefined;
  return { count: { value, exact: true }, rest };
}

export function parseCount(text: string, lang?: string): ParsedCount | undefined {
  const parsed = parseCountPrefix(text, lang);
  return parsed && parsed.rest.trim() === '' ? parsed.count : undefined;
}

/** The longest known suffix at the start of `rest` (after optional spaces), ending at a word boundary or a dot. */
function matchSuffix(rest: string, table: SuffixTable): { key: string; length: number } | undefined {
  const leading = /^[\s\u00A0\u202F]*/u.exec(rest)?.[0].length ?? 0;
  const candidate = rest.slice(leading).toLowerCase();
  const keys = Object.keys(table).sort((a, b) => b.length - a.length);
  for (const key of keys) {
    if (!candidate.startsWith(key)) continue;
    const after = candidate.slice(key.length);
    // Latin suffixes must end the word ("1.2K" but not the "m" of "1 mutual"); CJK/Hangul ones stand alone.
    const isLatin = /^[a-z]/.test(key);
    if (isLatin && /^[\p{L}]/u.test(after)) continue;
    const dot = after.startsWith('.') ? 1 : 0;
    return { key, length: leading + key.length + dot };
  }
  return undefined;
}

/** "1.2" / "1,2" / "12" → a decimal; with both separators, the last one is the decimal point. */
function parseDecimal(digits: string): number {
  const compact = digits.replace(/[\u00A0\u202F\u2009 ']/gu, '');
  const lastSeparator = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
  if (lastSeparator === -1) return Number(compact);
  const whole = compact.slice(0, lastSeparator).replace(/[.,]/g, '');
  return Number(`${whole}.${compact.slice(lastSeparator + 1)}`);
}

export interface MetaCounts {
  followers?: ParsedCount;
  following?: ParsedCount;
  posts?: ParsedCount;
  /** The handle named in the description ("… (@handle)"), to check the meta is not stale after SPA navigation. */
  handle?: string;
}

/**
 * Parses a profile's meta description, e.g. "12,437 Followers, 450 Following, 120 Posts - See Instagram photos and
 * videos from Name (@handle)" or "399 followers, 512 suivis, 174 publications - Voir les photos…". The three counts
 * always come in this order, so their position names them, whatever the language's words.
 */
export function parseMetaDescription(description: string, lang?: string): MetaCounts {
  const [countsPart = ''] = description.split(/\s[-–]\s/u);
  const parts = countsPart.split(/,\s+/u);
  const [followers, following, posts] = parts.map((part) => parseCountPrefix(part, lang)?.count);
  const handle = new RegExp(`\\(@(${usernameSource})\\)`, 'u').exec(description)?.[1];
  const result: MetaCounts = {};
  if (followers) result.followers = followers;
  if (following) result.following = following;
  if (posts) result.posts = posts;
  if (handle) result.handle = handle;
  return result;
}
