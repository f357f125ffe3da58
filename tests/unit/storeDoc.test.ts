/**
 * docs/STORE.md is what a store submission is made from: it must justify every permission the manifest asks for, name
 * files that exist, keep the listing texts within the stores' limits and say in each that smartTags is not affiliated
 * with Instagram or Meta.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { geckoDataCollection, minimumChromeVersion } from '../../scripts/manifest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const store = read('docs/STORE.md');
const manifest = JSON.parse(read('manifest.json')) as Record<string, unknown>;
const messages = (language: string) =>
  JSON.parse(read(`public/_locales/${language}/messages.json`)) as Record<string, { message: string }>;

/** A listing text, between its `<!-- store:name -->` and `<!-- /store -->` markers. */
function listing(name: string): string {
  const text = new RegExp(`<!-- store:${name} -->\\n([\\s\\S]*?)\\n<!-- /store -->`).exec(store)?.[1];
  if (text === undefined) throw new Error(`docs/STORE.md has no listing text "${name}"`);
  return text;
}

/** The part of the page under a `## heading`, up to the next one. */
function section(heading: string): string {
  const part = store.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0];
  if (part === undefined) throw new Error(`docs/STORE.md has no section "${heading}"`);
  return part;
}

describe('docs/STORE.md', () => {
  it('justifies every permission and host pattern the manifest names', () => {
    const contentScripts = manifest.content_scripts as Array<{ matches: string[] }>;
    const asked = [
      ...(manifest.permissions as string[]),
      ...(manifest.optional_permissions as string[]),
      ...(manifest.optional_host_permissions as string[]),
      ...contentScripts.flatMap((script) => script.matches),
    ];
    const table = section('Permission justifications');
    for (const permission of asked) expect(table, permission).toContain(`| \`${permission}\` |`);
  });

  it('gives the manifest’s own summary, within Chrome’s 132 characters, in both languages', () => {
    for (const language of ['en', 'fr']) {
      const summary = listing(`chrome-summary-${language}`);
      expect(summary).toBe(messages(language).extensionDescription?.message);
      expect(summary.length).toBeLessThanOrEqual(132);
    }
  });

  it('keeps Firefox’s summaries within 250 characters and every description within Chrome’s 16,000', () => {
    for (const language of ['en', 'fr']) {
      expect(listing(`firefox-summary-${language}`).length).toBeLessThanOrEqual(250);
      expect(listing(`chrome-description-${language}`).length).toBeLessThanOrEqual(16_000);
    }
  });

  it('says in every description and Firefox summary that smartTags is not affiliated with Instagram or Meta', () => {
    const english = /not affiliated with[^.]*Instagram or Meta/i;
    const french = /ni affiliée à Instagram ou à Meta|Sans lien avec Instagram ni Meta/;
    expect(listing('chrome-description-en')).toMatch(english);
    expect(listing('firefox-summary-en')).toMatch(english);
    expect(listing('chrome-description-fr')).toMatch(french);
    expect(listing('firefox-summary-fr')).toMatch(french);
    // The same words as the extension's own statement on the onboarding page.
    expect(listing('chrome-description-en')).toContain(messages('en').aboutNotAffiliated?.message);
    expect(listing('chrome-description-fr')).toContain(messages('fr').aboutNotAffiliated?.message);
  });

  it('lists Firefox’s data-collection categories as the manifest declares them', () => {
    const table = section("Data use: Firefox's data-collection categories");
    expect(table).toContain(`| \`required\` | \`${JSON.stringify(geckoDataCollection.required)}\` |`);
    for (const category of geckoDataCollection.optional ?? [])
      expect(table).toContain(`| \`optional\` | \`${category}\` |`);
  });

  it('states the Chrome minimum the build writes', () => {
    expect(store).toContain(`\`minimum_chrome_version\` ${minimumChromeVersion()}`);
  });

  it('points every checklist item to files that exist, the store screenshots the e2e suite took among them', () => {
    const checklist = section("Reviewer's checklist");
    const rows = checklist.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(15);
    for (const row of rows) {
      const paths = [...row.matchAll(/`([^`]+)`/g)]
        .map((match) => match[1] ?? '')
        .filter((token) => /^[\w.-]+(\/[\w.-]*)*$/.test(token) && (token.includes('/') || /\.|^LICENSE$/.test(token)));
      expect(paths.length, row).toBeGreaterThan(0);
      for (const path of paths) {
        expect(existsSync(new URL(path, root)), `${path} (${row.slice(0, 40)}…)`).toBe(true);
      }
    }
  });

  it('matches an OSI licence in LICENSE and package.json, and a manifest with no loosened security', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
    expect((JSON.parse(read('package.json')) as { license?: string }).license).toBe('MIT');
    for (const key of [
      'content_security_policy',
      'externally_connectable',
      'web_accessible_resources',
      'host_permissions',
    ]) {
      expect(manifest, key).not.toHaveProperty(key);
    }
  });
});
