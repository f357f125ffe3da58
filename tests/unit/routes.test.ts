import { describe, expect, it } from 'vitest';
import { classifyPath, normaliseTag, type Route } from '../../src/shared/domain/routes';

const table: Array<[string, Route]> = [
  ['/', { surface: 'feed' }],
  ['', { surface: 'feed' }],
  ['/explore/', { surface: 'explore' }],
  ['/explore/search/', { surface: 'explore' }],
  ['/explore/locations/213385402/london-united-kingdom/', { surface: 'explore' }],
  ['/explore/people/', { surface: 'explore' }],
  ['/explore/tags/', { surface: 'explore' }],
  ['/explore/tags/sourdough/', { surface: 'hashtag', tag: 'sourdough' }],
  ['/explore/tags/SourDough/', { surface: 'hashtag', tag: 'sourdough' }],
  ['/explore/tags/caf%C3%A9/', { surface: 'hashtag', tag: 'café' }],
  ['/explore/tags/cafe%CC%81/', { surface: 'hashtag', tag: 'café' }],
  ['/explore/tags/%E0%A4%AF%E0%A5%8B%E0%A4%97/', { surface: 'hashtag', tag: 'योग' }],
  ['/explore/tags/%E6%9D%B1%E4%BA%AC/', { surface: 'hashtag', tag: '東京' }],
  ['/explore/tags/%E0%A4%/', { surface: 'explore' }],
  ['/reels/', { surface: 'reels' }],
  ['/reels/C9xYzAbCdE1/', { surface: 'reels' }],
  ['/reel/C9xYzAbCdE1/', { surface: 'reels' }],
  ['/reels/audio/1234567890/', { surface: 'reels' }],
  ['/sol.kitchen/reel/C9xYzAbCdE1/', { surface: 'reels', username: 'sol.kitchen' }],
  ['/stories/sol.kitchen/3412345678901234567/', { surface: 'stories' }],
  ['/stories/highlights/17912345678901234/', { surface: 'stories' }],
  ['/direct/inbox/', { surface: 'direct' }],
  ['/direct/t/340282366841710300949128171234567890/', { surface: 'direct' }],
  ['/p/DCx8sP1oQ2a/', { surface: 'post' }],
  ['/tv/DCx8sP1oQ2a/', { surface: 'post' }],
  ['/sol.kitchen/p/DCx8sP1oQ2a/', { surface: 'post', username: 'sol.kitchen' }],
  ['/p/', { surface: 'other' }],
  ['/sol.kitchen/', { surface: 'profile', username: 'sol.kitchen' }],
  ['/sol.kitchen', { surface: 'profile', username: 'sol.kitchen' }],
  ['/maya_rivers/tagged/', { surface: 'profile', username: 'maya_rivers' }],
  ['/maya_rivers/reels/', { surface: 'profile', username: 'maya_rivers' }],
  ['/maya_rivers/saved/', { surface: 'profile', username: 'maya_rivers' }],
  ['/maya_rivers/followers/', { surface: 'profile', username: 'maya_rivers' }],
  ['/maya_rivers/following/', { surface: 'profile', username: 'maya_rivers' }],
  ['/maya_rivers/something-else/', { surface: 'other' }],
  // 2026: the reposts tab of a profile.
  ['/maya_rivers/reposts/', { surface: 'profile', username: 'maya_rivers' }],
  // 2026 landing pages: a slug that could be a hashtag is that tag; one with `-` (or other punctuation) is a place.
  ['/popular/sourdough/', { surface: 'hashtag', tag: 'sourdough' }],
  ['/popular/SourDough/', { surface: 'hashtag', tag: 'sourdough' }],
  ['/popular/caf%C3%A9/', { surface: 'hashtag', tag: 'café' }],
  ['/popular/%E6%9D%B1%E4%BA%AC/', { surface: 'hashtag', tag: '東京' }],
  ['/popular/new-york-city/', { surface: 'explore' }],
  ['/popular/', { surface: 'explore' }],
  ['/popular/sourdough/extra/', { surface: 'explore' }],
  // 2025 keyword search without a query (the query is tested with classifyPath's second argument below).
  ['/explore/search/keyword/', { surface: 'explore' }],
  // /reels/ redirects to /reels/<code>/: both are reels.
  ['/reels/DRk3vQ1oT7x/', { surface: 'reels' }],
  ['/accounts/login/', { surface: 'other' }],
  ['/accounts/edit/', { surface: 'other' }],
  ['/challenge/action/', { surface: 'other' }],
  ['/consent/', { surface: 'other' }],
  ['/emails/settings/', { surface: 'other' }],
  ['/settings/', { surface: 'other' }],
  ['/your_activity/interactions/', { surface: 'other' }],
  ['/create/select/', { surface: 'other' }],
  ['/notifications/', { surface: 'other' }],
  ['/legal/privacy/', { surface: 'other' }],
  ['/about/', { surface: 'other' }],
  ['/a-name-with-dashes/', { surface: 'other' }],
  [`/${'a'.repeat(31)}/`, { surface: 'other' }],
];

describe('classifyPath', () => {
  it.each(table)('%s', (path, expected) => {
    expect(classifyPath(path)).toEqual(expected);
  });
});

describe('classifyPath with the query string', () => {
  it.each<[string, string, Route]>([
    ['/explore/search/keyword/', '?q=%23sourdough', { surface: 'hashtag', tag: 'sourdough' }],
    ['/explore/search/keyword/', '?q=%23Caf%C3%A9', { surface: 'hashtag', tag: 'café' }],
    ['/explore/search/keyword/', 'q=%23%E6%9D%B1%E4%BA%AC', { surface: 'hashtag', tag: '東京' }],
    ['/explore/search/keyword/', '?q=%20%23sourdough%20', { surface: 'hashtag', tag: 'sourdough' }],
    ['/explore/search/keyword/', '?q=sourdough', { surface: 'explore' }],
    ['/explore/search/keyword/', '?q=%23sourdough+bread', { surface: 'explore' }],
    ['/explore/search/keyword/', '?q=%23', { surface: 'explore' }],
    ['/explore/search/keyword/', '', { surface: 'explore' }],
    ['/explore/search/', '?q=%23sourdough', { surface: 'explore' }],
    ['/explore/tags/sourdough/', '?q=%23other', { surface: 'hashtag', tag: 'sourdough' }],
    ['/sol.kitchen/', '?q=%23sourdough', { surface: 'profile', username: 'sol.kitchen' }],
  ])('%s%s', (path, search, expected) => {
    expect(classifyPath(path, search)).toEqual(expected);
  });
});

describe('normaliseTag', () => {
  it.each([
    ['#Travel', 'travel'],
    ['İstanbul', 'i̇stanbul'],
    ['ÉTÉ', 'été'],
    ['caf%C3%A9', 'café'],
    ['cafe\u0301', 'café'],
    ['%E0%A4%AF%E0%A5%8B%E0%A4%97', 'योग'],
    ['東京', '東京'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseTag(raw)).toBe(expected);
  });

  it.each(['', '#', '%E0%A4%', 'two words', 'a/b', 'x'.repeat(101), '__proto__'])('rejects %j', (raw) => {
    expect(normaliseTag(raw)).toBeUndefined();
  });
});
