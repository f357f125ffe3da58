/**
 * The synthetic trees of tests/fixtures/instagram-export/ (see its README) as the options page hands them to the
 * background, and as zips: shared by the unit tests of the reader and of the import, and the end-to-end import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { isHtmlExportFile, isWantedExportFile } from '../../src/shared/domain/instagramExport';

// From the path, not `new URL`: component tests run under happy-dom, whose URL is not Node's.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/instagram-export');

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(directory, entry.name)) : [join(directory, entry.name)],
  );
}

/** Every file of a fixture tree, named by its path inside the zip (`/`-separated), sorted by name. */
function fixtureTree(folder: string): Array<{ name: string; path: string }> {
  const root = join(fixtures, folder);
  return filesUnder(root)
    .map((path) => ({ path, name: relative(root, path).split('\\').join('/') }))
    .filter(({ name }) => name !== 'README.md')
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * A fixture tree as the page hands it over: the wanted files, named by their path inside the zip, and the HTML ones by
 * name only. `all` hands over every file instead.
 */
export function exportFiles(folder: string, { all = false } = {}): Array<{ name: string; text: string }> {
  return fixtureTree(folder)
    .filter(({ name }) => all || isWantedExportFile(name) || isHtmlExportFile(name))
    .map(({ path, name }) => ({ name, text: isHtmlExportFile(name) ? '' : readFileSync(path, 'utf8') }));
}

/**
 * A fixture tree as a zip, the way Instagram delivers it (deflated entries), with `extra` entries added: made at test
 * time so the fixtures stay readable in the repository.
 */
export async function fixtureZip(
  folder: string,
  extra: ReadonlyArray<{ name: string; content: string | Uint8Array }> = [],
): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  for (const { name, path } of fixtureTree(folder)) {
    await writer.add(name, new Uint8ArrayReader(new Uint8Array(readFileSync(path))));
  }
  for (const { name, content } of extra) {
    await writer.add(
      name,
      new Uint8ArrayReader(typeof content === 'string' ? new TextEncoder().encode(content) : content),
    );
  }
  return writer.close();
}
