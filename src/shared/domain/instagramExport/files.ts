/**
 * Which files of Instagram's export are read, recognised by base name wherever they sit in the tree: Instagram moved
 * them between folders over the years (`content/` became `your_instagram_activity/media/`, `followers_and_following/`
 * went under `connections/`, …) but kept their names.
 */

/** What a wanted file holds; each kind has one reader. */
export type ExportFileKind =
  | 'postsViewed'
  | 'videosWatched'
  | 'posts'
  | 'reels'
  | 'stories'
  | 'followers'
  | 'following'
  | 'followingHashtags'
  | 'tagSearches'
  | 'personalInformation';

const kindOfBaseName: Readonly<Record<string, ExportFileKind>> = {
  'posts_viewed.json': 'postsViewed',
  'videos_watched.json': 'videosWatched',
  'reels.json': 'reels',
  'stories.json': 'stories',
  // Exports before 2022 had one followers.json; later ones page it as followers_1.json, followers_2.json, …
  'followers.json': 'followers',
  'following.json': 'following',
  'following_hashtags.json': 'followingHashtags',
  'tag_searches.json': 'tagSearches',
  'personal_information.json': 'personalInformation',
};

/** The numbered pages read: `posts_1.json`, `posts_2.json`, … and `followers_1.json`, … */
const wantedBaseNamePatterns: readonly RegExp[] = [/^posts_\d+\.json$/, /^followers_\d+\.json$/];

const numberedKinds: readonly ExportFileKind[] = ['posts', 'followers'];

/** The last segment of a path inside a zip (either separator), lower case: export names are all lower case. */
function baseNameOf(path: string): string {
  return (path.split(/[/\\]/).at(-1) ?? '').toLowerCase();
}

function kindOfJsonBaseName(baseName: string): ExportFileKind | undefined {
  if (Object.hasOwn(kindOfBaseName, baseName)) return kindOfBaseName[baseName];
  const pattern = wantedBaseNamePatterns.findIndex((candidate) => candidate.test(baseName));
  return pattern < 0 ? undefined : numberedKinds[pattern];
}

/** The kind of a wanted file, by its base name; undefined for every other file of the export. */
export function kindOfExportFile(path: string): ExportFileKind | undefined {
  return kindOfJsonBaseName(baseNameOf(path));
}

/** Whether a path inside the zip is one of the files read (by base name); the page reads only these. */
export function isWantedExportFile(path: string): boolean {
  return kindOfExportFile(path) !== undefined;
}

/**
 * Whether the export is the HTML flavour: a wanted file's base name with `.html` for `.json` (`posts_viewed.html`).
 * Instagram offers both; only JSON can be read.
 */
export function isHtmlExportFile(path: string): boolean {
  const baseName = baseNameOf(path);
  return baseName.endsWith('.html') && kindOfJsonBaseName(`${baseName.slice(0, -'.html'.length)}.json`) !== undefined;
}
