/**
 * The shapes of the files read, as zod schemas, and the readers of their labelled values. Tolerant by design: fields
 * Instagram adds are ignored, a file is checked only down to its list of entries (so one odd entry costs that entry,
 * not the file), and labels are matched in the account's language or, failing that, by what their value holds.
 */
import { z } from '../../zod';
import type { ExportFileKind } from './files';
import { repairMojibake } from './mojibake';

/** A `{href, value, timestamp}` item: the cell of `string_map_data` and `string_list_data`. */
const labelledValue = z.object({
  href: z.string().nullish(),
  value: z.string().nullish(),
  timestamp: z.number().nullish(),
});
type LabelledValue = z.infer<typeof labelledValue>;

/** `string_map_data`: labelled values keyed by a label in the account's language (`Time`, `Tijd`, `Heure`, …). */
const stringMapData = z.record(z.string(), z.unknown());

/** posts_viewed.json, videos_watched.json, tag_searches.json: one impression or search each. */
export const mapEntry = z.object({ string_map_data: stringMapData });

/** followers_N.json, following.json, following_hashtags.json: one account or tag each. */
export const listEntry = z.object({
  title: z.string().nullish(),
  string_list_data: z.array(labelledValue).nullish(),
});

/** One photo or video of the person's own: its caption is `title`. */
export const mediaItem = z.object({
  uri: z.string().nullish(),
  creation_timestamp: z.number().nullish(),
  title: z.string().nullish(),
});

/**
 * posts_N.json, reels.json: one post each, its media in `media`. A single-photo post has its caption and time on the
 * media item; a carousel has them on the post and empty titles on its items.
 */
export const mediaPost = z.object({
  media: z.array(mediaItem).nullish(),
  title: z.string().nullish(),
  creation_timestamp: z.number().nullish(),
});

/** personal_information.json's one entry: the profile's labelled values, among them the username. */
export const profileEntry = z.object({ string_map_data: stringMapData });

/**
 * The key holding each file's list of entries. Files that are a bare list (posts_N.json, followers_N.json) have none;
 * a bare list is accepted for every kind, as Instagram dropped such keys before.
 */
const listKeyOf: Readonly<Record<ExportFileKind, string | undefined>> = {
  postsViewed: 'impressions_history_posts_seen',
  videosWatched: 'impressions_history_videos_watched',
  posts: undefined,
  reels: 'ig_reels_media',
  stories: 'ig_stories',
  followers: 'relationships_followers',
  following: 'relationships_following',
  followingHashtags: 'relationships_following_hashtags',
  tagSearches: 'searches_hashtag',
  personalInformation: 'profile_user',
};

const bareList = z.array(z.unknown());

/** The entries of a parsed file, or why its shape is not the one expected (in English, for the record). */
export function entriesOf(kind: ExportFileKind, json: unknown): { entries: unknown[] } | { problem: string } {
  const bare = bareList.safeParse(json);
  if (bare.success) return { entries: bare.data };
  const key = listKeyOf[kind];
  if (key !== undefined) {
    const wrapped = z.object({ [key]: bareList }).safeParse(json);
    if (wrapped.success) return { entries: wrapped.data[key] ?? [] };
  }
  return { problem: key === undefined ? 'expected a list' : `expected a list, or an object with a "${key}" list` };
}

// ---- Labels in the account's language ----

/** A label as compared: mojibake repaired, apostrophes straightened, lower case. */
function comparableLabel(label: string): string {
  return repairMojibake(label).replace(/[’‘]/g, "'").normalize('NFC').toLocaleLowerCase('und');
}

/**
 * Labels already made comparable. An export repeats a handful of labels hundreds of thousands of times, and making one
 * comparable was the costliest step of reading an impression; bounded, since a file could hold any number of labels.
 */
const comparableLabels = new Map<string, string>();

function labelKey(label: string): string {
  let key = comparableLabels.get(label);
  if (key === undefined) {
    key = comparableLabel(label);
    if (comparableLabels.size < 1000) comparableLabels.set(label, key);
  }
  return key;
}

const labels = (...names: string[]) => new Set(names.map(labelKey));

/**
 * Labels seen in exports of accounts in other languages. Not exhaustive: a label not listed is found by its value
 * (see timeOf, textOf), so a language missing here still reads.
 */
const timeLabels = labels(
  'Time', // en
  'Tijd', // nl
  'Heure', // fr
  'Zeit', // de
  'Hora', // es, pt
  'Ora', // it
  'Czas', // pl
  'Tid', // sv, da, nb
  'Aika', // fi
  'Saat', // tr
  'Waktu', // id, ms
  'Время', // ru
  '時間', // ja
  '시간', // ko
);
const authorLabels = labels(
  'Author',
  'Auteur',
  'Autor',
  'Autore',
  'Forfatter',
  'Författare',
  'Tekijä',
  'Yazar',
  'Penulis',
  'Автор',
  '作成者',
  '작성자',
);
const searchLabels = labels(
  'Search',
  'Zoekopdracht',
  'Recherche',
  'Suche',
  'Búsqueda',
  'Pesquisa',
  'Ricerca',
  'Wyszukiwanie',
  'Sökning',
  'Søgning',
  'Søk',
  'Haku',
  'Arama',
  'Pencarian',
  'Поиск',
  '検索',
  '검색',
);
const usernameLabels = labels(
  'Username',
  'Gebruikersnaam',
  "Nom d'utilisateur",
  'Benutzername',
  'Nombre de usuario',
  'Nome de usuário',
  'Nome utente',
  'Nazwa użytkownika',
  'Användarnamn',
  'Brugernavn',
  'Brukernavn',
  'Käyttäjänimi',
  'Kullanıcı adı',
  'Nama pengguna',
  'Имя пользователя',
  'ユーザーネーム',
  '사용자 이름',
);

/** The `string_map_data` cells that are labelled values, with their labels compared as labelKey does. */
function cellsOf(map: Record<string, unknown>): Array<{ label: string; cell: LabelledValue }> {
  const cells: Array<{ label: string; cell: LabelledValue }> = [];
  for (const [label, raw] of Object.entries(map)) {
    const parsed = labelledValue.safeParse(raw);
    if (parsed.success) cells.push({ label: labelKey(label), cell: parsed.data });
  }
  return cells;
}

/** A usable timestamp in seconds: after Instagram's launch year and before 2100; anything else is not a time. */
export function usableSeconds(timestamp: number | null | undefined): number | undefined {
  return typeof timestamp === 'number' &&
    Number.isInteger(timestamp) &&
    timestamp >= 1_262_304_000 &&
    timestamp < 4_102_444_800
    ? timestamp
    : undefined;
}

/** The labelled values of an entry, read once. */
export interface MapCells {
  /** The time, in epoch seconds: the time label's, else the one cell with a usable timestamp. */
  seconds: number | undefined;
  /** The text under a label of this meaning in any known language. */
  labelled: (meaning: 'author' | 'search' | 'username') => string | undefined;
  /** The text of the first cell with text that is not the time: the fallback for a label in an unknown language. */
  anyText: () => string | undefined;
}

const textLabels = { author: authorLabels, search: searchLabels, username: usernameLabels };

export function readMapCells(map: Record<string, unknown>): MapCells {
  const cells = cellsOf(map);
  const timeCell =
    cells.find(({ label, cell }) => timeLabels.has(label) && usableSeconds(cell.timestamp) !== undefined) ??
    cells.find(({ cell }) => usableSeconds(cell.timestamp) !== undefined);
  const textOf = (found: { cell: LabelledValue } | undefined) =>
    found?.cell.value ? repairMojibake(found.cell.value) : undefined;
  return {
    seconds: usableSeconds(timeCell?.cell.timestamp),
    labelled: (meaning) => textOf(cells.find(({ label, cell }) => textLabels[meaning].has(label) && cell.value)),
    anyText: () => textOf(cells.find((candidate) => candidate !== timeCell && candidate.cell.value)),
  };
}
