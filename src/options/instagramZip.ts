/**
 * Reads the files smartTags imports out of Instagram's export zips, in the options page. An export is hundreds of MB,
 * nearly all of it photos and videos the import never reads: zip.js reads a zip given as a Blob by slicing it — the
 * central directory at its end, then only the byte ranges of the entries asked for — so the media are never read,
 * let alone decompressed, and the page holds only the wanted JSON texts (decompressed by the browser's own
 * DecompressionStream). The parts of a split download are each a complete zip, read one after the other.
 */
import {
  BlobReader,
  configure,
  type Entry,
  type FileEntry,
  TextWriter,
  ZipReader,
} from '@zip.js/zip.js/lib/zip-core-native.js';
import { type ExportFile, isHtmlExportFile, isWantedExportFile } from '../shared/domain/instagramExport';

// In the page itself, without web workers: an extension page's policy allows workers only from its own files, and the
// browser's DecompressionStream already decompresses off the main thread.
configure({ useWebWorkers: false, useCompressionStream: true });

/** How far reading has come: wanted files read, of all wanted files, and their compressed bytes. */
export interface ZipProgress {
  filesRead: number;
  filesTotal: number;
  bytesRead: number;
  bytesTotal: number;
}

/** A chosen file is not a zip that can be read (damaged, cut short, or another kind of file). */
export class UnreadableZipError extends Error {
  constructor(readonly fileName: string) {
    super(`${fileName} is not a readable zip file`);
    this.name = 'UnreadableZipError';
  }
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * The wanted files of every zip, named by their path inside it, with their text; HTML versions of wanted files by
 * name only (the background refuses an HTML export by its names). Rejects with UnreadableZipError for a zip that
 * cannot be read, and with the signal's AbortError when cancelled.
 */
export async function readExportZips(
  zips: readonly File[],
  { signal, onProgress }: { signal: AbortSignal; onProgress: (progress: ZipProgress) => void },
): Promise<ExportFile[]> {
  const readers: Array<{ zip: File; reader: ZipReader<Blob>; wanted: FileEntry[] }> = [];
  const files: ExportFile[] = [];
  try {
    for (const zip of zips) {
      const reader = new ZipReader(new BlobReader(zip));
      const wanted: FileEntry[] = [];
      readers.push({ zip, reader, wanted });
      let entries: Entry[];
      try {
        entries = await reader.getEntries();
      } catch (error) {
        if (isAbort(error)) throw error;
        throw new UnreadableZipError(zip.name);
      }
      signal.throwIfAborted();
      for (const entry of entries) {
        if (entry.directory) continue;
        if (isWantedExportFile(entry.filename)) wanted.push(entry);
        else if (isHtmlExportFile(entry.filename)) files.push({ name: entry.filename, text: '' });
      }
    }
    const progress: ZipProgress = { filesRead: 0, filesTotal: 0, bytesRead: 0, bytesTotal: 0 };
    for (const { wanted } of readers) {
      progress.filesTotal += wanted.length;
      for (const entry of wanted) progress.bytesTotal += entry.compressedSize;
    }
    onProgress({ ...progress });
    for (const { zip, wanted } of readers) {
      for (const entry of wanted) {
        const before = progress.bytesRead;
        let text: string;
        try {
          text = await entry.getData(new TextWriter(), {
            signal,
            onprogress: async (done: number) => {
              progress.bytesRead = before + Math.min(done, entry.compressedSize);
              onProgress({ ...progress });
            },
          });
        } catch (error) {
          if (isAbort(error) || signal.aborted) throw signal.reason ?? error;
          throw new UnreadableZipError(zip.name);
        }
        progress.filesRead++;
        progress.bytesRead = before + entry.compressedSize;
        onProgress({ ...progress });
        files.push({ name: entry.filename, text });
      }
    }
    return files;
  } finally {
    await Promise.all(readers.map(({ reader }) => reader.close().catch(() => undefined)));
  }
}
