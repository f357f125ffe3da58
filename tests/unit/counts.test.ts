import { describe, expect, it } from 'vitest';
import { parseCount, parseMetaDescription } from '../../src/shared/domain/counts';

const exact = (value: number) => ({ value, exact: true });
const rounded = (value: number) => ({ value, exact: false });

describe('parseCount', () => {
  it.each([
    // Full numbers with each language's grouping
    ['12,437', 'en', exact(12_437)],
    ['1,137,245', 'en', exact(1_137_245)],
    ['450', 'en', exact(450)],
    ['1', 'en', exact(1)],
    ['0', 'en', exact(0)],
    ['1.234', 'de', exact(1234)],
    ['1.234', 'es', exact(1234)],
    ['1.234.567', 'pt', exact(1_234_567)],
    ['1.234', 'id', exact(1234)],
    ['1.234', 'tr', exact(1234)],
    ['1\u202F234', 'fr', exact(1234)],
    ['1\u00A0234', 'ru', exact(1234)],
    ['3,960', 'fr', exact(3960)],
    // Compact forms
    ['12.4K', 'en', rounded(12_400)],
    ['1.2K', 'en', rounded(1200)],
    ['70.2k', 'en', rounded(70_200)],
    ['12.3M', 'en', rounded(12_300_000)],
    ['13.5M', 'en', rounded(13_500_000)],
    ['1.1M', 'en', rounded(1_100_000)],
    ['1M', 'en', rounded(1_000_000)],
    ['2.1B', 'en', rounded(2_100_000_000)],
    ['1,2 k', 'fr', rounded(1200)],
    ['1,2 M', 'fr', rounded(1_200_000)],
    ['1,2 Mio.', 'de', rounded(1_200_000)],
    ['1,2 Tsd.', 'de', rounded(1200)],
    ['1,2 mil', 'es', rounded(1200)],
    ['1,2 M', 'es', rounded(1_200_000)],
    ['1,2 mil', 'pt', rounded(1200)],
    ['1,2 mi', 'pt', rounded(1_200_000)],
    ['12,3 тыс.', 'ru', rounded(12_300)],
    ['1,2 млн', 'ru', rounded(1_200_000)],
    ['1,2 rb', 'id', rounded(1200)],
    ['1,2 jt', 'id', rounded(1_200_000)],
    ['1,2 M', 'id', rounded(1_200_000_000)],
    ['1.2만', 'ko', rounded(12_000)],
    ['1.2천', 'ko', rounded(1200)],
    ['1.2万', 'zh-CN', rounded(12_000)],
    ['1.2万', 'ja', rounded(12_000)],
    ['12.3 लाख', 'hi', rounded(1_230_000)],
    ['1,2 B', 'tr', rounded(1200)],
    ['1,2 Mn', 'tr', rounded(1_200_000)],
    ['1,2 Mln', 'it', rounded(1_200_000)],
    ['12.4K', undefined, rounded(12_400)],
    ['  12,437  ', 'en', exact(12_437)],
  ])('%j (%s)', (text, lang, expected) => {
    expect(parseCount(text, lang)).toEqual(expected);
  });

  it.each([[''], ['followers'], ['—'], ['12 followers'], ['1.2X'], ['99999999999999999999']])('rejects %j', (text) => {
    expect(parseCount(text, 'en')).toBeUndefined();
  });
});

describe('parseMetaDescription', () => {
  it.each([
    [
      '12,437 Followers, 450 Following, 120 Posts - See Instagram photos and videos from Maya Rivers (@maya.rivers)',
      'en',
      { followers: exact(12_437), following: exact(450), posts: exact(120), handle: 'maya.rivers' },
    ],
    [
      '70.2k Followers, 1,204 Following, 980 Posts - See Instagram photos and videos from Sol (@sol.kitchen)',
      'en',
      { followers: rounded(70_200), following: exact(1204), posts: exact(980), handle: 'sol.kitchen' },
    ],
    [
      '13.5M Followers, 2,345 Following, 4,567 Posts - See Instagram photos and videos from Big (@big_account)',
      'en',
      { followers: rounded(13_500_000), following: exact(2345), posts: exact(4567), handle: 'big_account' },
    ],
    [
      '399 followers, 512 suivis, 174 publications - Voir les photos et vidéos Instagram de Léa (@lea.photo)',
      'fr',
      { followers: exact(399), following: exact(512), posts: exact(174), handle: 'lea.photo' },
    ],
    [
      '3,960 abonnés, 843 abonnements, 1,082 publications - Voir les photos et vidéos Instagram de Léa (@lea.photo)',
      'fr',
      { followers: exact(3960), following: exact(843), posts: exact(1082), handle: 'lea.photo' },
    ],
    [
      '1 Followers, 0 Following, 1 Posts - See Instagram photos and videos from New (@new.one)',
      'en',
      { followers: exact(1), following: exact(0), posts: exact(1), handle: 'new.one' },
    ],
  ])('%s', (description, lang, expected) => {
    expect(parseMetaDescription(description, lang)).toEqual(expected);
  });

  it('returns nothing for a description without counts', () => {
    expect(parseMetaDescription('Create an account or log in to Instagram - Share what you are into', 'en')).toEqual(
      {},
    );
  });
});
