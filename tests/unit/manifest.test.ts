import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { geckoId, isSharedManifest, manifestFor, type SharedManifest } from '../../scripts/manifest';

const shared: unknown = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

function sharedManifest(): SharedManifest {
  if (!isSharedManifest(shared)) throw new Error('manifest.json is not a shared manifest');
  return shared;
}

describe('the shared manifest', () => {
  it('is a Manifest V3 file naming its background entry once', () => {
    expect(isSharedManifest(shared)).toBe(true);
  });

  it('never records private windows', () => {
    expect(sharedManifest().incognito).toBe('not_allowed');
  });

  it('asks for no blanket host access and only the permissions it uses', () => {
    const text = JSON.stringify(shared);
    expect(text).not.toContain('<all_urls>');
    expect(sharedManifest().host_permissions).toBeUndefined();
    // storage: the recording gate content scripts read; alarms: the daily retention prune.
    expect(sharedManifest().permissions).toEqual(['storage', 'alarms']);
    // The backend's host is asked for at run time, on the person's click; only HTTPS and this machine qualify.
    expect(sharedManifest().optional_host_permissions).toEqual([
      'https://*/*',
      'http://127.0.0.1/*',
      'http://localhost/*',
    ]);
  });

  it('runs its content script only in the top frame of https://www.instagram.com', () => {
    expect(sharedManifest().content_scripts).toEqual([
      {
        matches: ['https://www.instagram.com/*'],
        js: ['src/content/index.ts'],
        run_at: 'document_idle',
        all_frames: false,
      },
    ]);
  });

  it('takes its name and description from the messages, in the browser’s language with English as the default', () => {
    const manifest = sharedManifest();
    expect(manifest.default_locale).toBe('en');
    expect(manifest.name).toBe('__MSG_extensionName__');
    expect(manifest.description).toBe('__MSG_extensionDescription__');
    expect((manifest.action as { default_title?: string }).default_title).toBe('__MSG_extensionName__');
    // A __MSG_ name missing from the default locale's messages stops the browser from loading the extension.
    const english: Record<string, unknown> = JSON.parse(
      readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8'),
    );
    for (const [, key] of JSON.stringify(shared).matchAll(/__MSG_(\w+)__/g)) expect(english).toHaveProperty(key ?? '');
  });

  it('has every icon it names, made from the one source image', () => {
    const icons = sharedManifest().icons as Record<string, string>;
    expect(Object.keys(icons)).toEqual(['16', '32', '48', '128']);
    for (const path of Object.values(icons))
      expect(existsSync(new URL(`../../public/${path}`, import.meta.url))).toBe(true);
    expect(existsSync(new URL('../../assets/icon.svg', import.meta.url))).toBe(true);
  });
});

describe('manifestFor', () => {
  it('gives Chrome a module service worker and no Firefox settings', () => {
    const chrome = manifestFor('chrome', sharedManifest());
    expect(chrome.background).toEqual({ service_worker: 'src/background/index.ts', type: 'module' });
    expect(chrome.browser_specific_settings).toBeUndefined();
    expect(JSON.stringify(chrome)).not.toContain('"entry"');
  });

  it('gives Firefox an event page, a stable id and a data-collection declaration it can read', () => {
    const firefox = manifestFor('firefox', sharedManifest());
    expect(firefox.background).toEqual({ scripts: ['src/background/index.ts'], type: 'module' });
    const gecko = firefox.browser_specific_settings?.gecko;
    expect(gecko?.id).toBe(geckoId);
    // data_collection_permissions is read from Firefox 140 on; older versions would ignore the declaration.
    expect(Number.parseFloat(gecko?.strict_min_version ?? '0')).toBeGreaterThanOrEqual(140);
    const android = firefox.browser_specific_settings?.gecko_android;
    expect(Number.parseFloat(android?.strict_min_version ?? '0')).toBeGreaterThanOrEqual(142);
    // Nothing leaves the device without opt-in: nothing is required; the upload scopes' categories are optional.
    expect(gecko?.data_collection_permissions).toEqual({
      required: ['none'],
      optional: ['technicalAndInteraction', 'websiteActivity', 'websiteContent', 'personallyIdentifyingInfo'],
    });
  });

  it('keeps everything else the same for both browsers', () => {
    const { background: _chromeBackground, ...chrome } = manifestFor('chrome', sharedManifest());
    const {
      background: _firefoxBackground,
      browser_specific_settings: _gecko,
      ...firefox
    } = manifestFor('firefox', sharedManifest());
    expect(firefox).toEqual(chrome);
  });
});
