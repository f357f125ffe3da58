import { describe, expect, it } from 'vitest';
import { classifySender, type SenderFacts } from '../../src/shared/domain/sender';

const own = { id: 'ownextensionid', origin: 'chrome-extension://ownextensionid' };
const tab = { id: 7 };

const cases: Array<[string, SenderFacts, ReturnType<typeof classifySender>]> = [
  ['the popup (no tab)', { id: own.id, url: `${own.origin}/src/popup/index.html` }, 'extension-page'],
  [
    'the options page in a tab',
    { id: own.id, url: `${own.origin}/src/options/index.html`, tab, frameId: 0 },
    'extension-page',
  ],
  [
    'our content script, top frame of Instagram',
    { id: own.id, url: 'https://www.instagram.com/', tab, frameId: 0 },
    'instagram-content-script',
  ],
  [
    'our content script on a deep Instagram path',
    { id: own.id, url: 'https://www.instagram.com/explore/tags/caf%C3%A9/', tab, frameId: 0 },
    'instagram-content-script',
  ],
  ['our content script in a subframe', { id: own.id, url: 'https://www.instagram.com/', tab, frameId: 3 }, 'untrusted'],
  ['an Instagram URL without a tab', { id: own.id, url: 'https://www.instagram.com/' }, 'untrusted'],
  ['plain http Instagram', { id: own.id, url: 'http://www.instagram.com/', tab, frameId: 0 }, 'untrusted'],
  ['a look-alike host', { id: own.id, url: 'https://www.instagram.com.evil.example/', tab, frameId: 0 }, 'untrusted'],
  ['userinfo trick', { id: own.id, url: 'https://www.instagram.com@evil.example/', tab, frameId: 0 }, 'untrusted'],
  ['another Instagram host', { id: own.id, url: 'https://help.instagram.com/', tab, frameId: 0 }, 'untrusted'],
  ['another extension', { id: 'someoneelse', url: 'chrome-extension://someoneelse/page.html' }, 'untrusted'],
  [
    'another extension claiming our origin',
    { id: 'someoneelse', url: `${own.origin}/src/popup/index.html` },
    'untrusted',
  ],
  [
    'our id with another extension origin',
    { id: own.id, url: 'chrome-extension://ownextensionidX/page.html' },
    'untrusted',
  ],
  [
    'no id at all (a web page via externally_connectable)',
    { url: 'https://www.instagram.com/', tab, frameId: 0 },
    'untrusted',
  ],
  ['no url', { id: own.id, tab, frameId: 0 }, 'untrusted'],
  ['a garbage url', { id: own.id, url: 'not a url', tab, frameId: 0 }, 'untrusted'],
];

describe('classifySender', () => {
  it.each(cases)('%s', (_label, sender, expected) => {
    expect(classifySender(sender, own)).toBe(expected);
  });

  it('recognises Firefox extension pages by their moz-extension origin', () => {
    const firefox = { id: 'smarttags@smarttags.app', origin: 'moz-extension://6d1e5a8c-4b7f-4f0e-9a3c-2f5b8e1d7c40' };
    expect(classifySender({ id: firefox.id, url: `${firefox.origin}/src/popup/index.html` }, firefox)).toBe(
      'extension-page',
    );
  });
});
