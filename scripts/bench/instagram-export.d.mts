/** Types of instagram-export.mjs, for the TypeScript tests that use it (its JSDoc says the same). */
export interface ExportOptions {
  /** About how large the tree is, media included. */
  totalBytes: number;
  /** About how much of it the import reads (default: 15 % of totalBytes). */
  wantedBytes?: number;
  seed?: number;
  /** How many days the views spread over, ending on 30 June 2025 (default 365). */
  days?: number;
}

export interface ExportEntry {
  path: string;
  content: string | Uint8Array;
}

/** What the import should find. */
export interface ExportSummary {
  owner: string;
  postViews: number;
  reelViews: number;
  ownPosts: number;
  followers: number;
  following: number;
  tagSearches: number;
  mediaFiles: number;
  mediaBytes: number;
}

export function instagramExportEntries(options: ExportOptions): {
  summary: ExportSummary;
  entries: Iterable<ExportEntry>;
};

export function writeInstagramExport(directory: string, options: ExportOptions): Promise<ExportSummary>;
