import { describe, expect, it } from 'vitest';
import { dayHref, parseRoute, routeHash, sectionOf, tagHref } from '../../src/options/route';

describe('the options page’s addresses', () => {
  it('gives each section its own address, the dashboard by default', () => {
    expect(parseRoute('')).toEqual({ kind: 'section', section: 'dashboard' });
    expect(parseRoute('#goals')).toEqual({ kind: 'section', section: 'goals' });
    expect(parseRoute('#privacy')).toEqual({ kind: 'section', section: 'privacy' });
    expect(parseRoute('sync')).toEqual({ kind: 'section', section: 'sync' });
    expect(parseRoute('#nothing-here')).toEqual({ kind: 'section', section: 'dashboard' });
  });

  it('keeps older links to an element working: they show the section holding it', () => {
    expect(parseRoute('#recording-health')).toEqual({
      kind: 'section',
      section: 'privacy',
      anchor: 'recording-health',
    });
    expect(parseRoute('#reminders-heading')).toEqual({
      kind: 'section',
      section: 'goals',
      anchor: 'reminders-heading',
    });
  });

  it('reads and writes a week’s report address, which the weekly notification opens', () => {
    expect(parseRoute('#report/2026-W49')).toEqual({ kind: 'report', week: '2026-W49' });
    expect(routeHash({ kind: 'report', week: '2026-W49' })).toBe('#report/2026-W49');
    expect(routeHash({ kind: 'section', section: 'sync' })).toBe('#sync');
  });
});

describe('the dashboard’s pages', () => {
  it('gives a day its address, and refuses a date that is not one', () => {
    expect(parseRoute('#day/2026-11-24')).toEqual({ kind: 'day', date: '2026-11-24' });
    expect(routeHash({ kind: 'day', date: '2026-11-24' })).toBe('#day/2026-11-24');
    expect(dayHref('2026-02-28')).toBe('#day/2026-02-28');
    expect(parseRoute('#day/2026-02-30')).toEqual({ kind: 'section', section: 'dashboard' });
    expect(parseRoute('#day/yesterday')).toEqual({ kind: 'section', section: 'dashboard' });
    expect(parseRoute('#day/')).toEqual({ kind: 'section', section: 'dashboard' });
  });

  it('gives a tag its address, encoded both ways, whatever its characters', () => {
    for (const tag of ['sourdough', 'café', 'crème brûlée', 'a/b?c#d%e', '東京']) {
      expect(parseRoute(tagHref(tag))).toEqual({ kind: 'tag', tag });
    }
    expect(tagHref('café')).toBe('#tag/caf%C3%A9');
    // A hand-typed address that is not valid encoding shows the dashboard rather than failing.
    expect(parseRoute('#tag/%E0%A4%A')).toEqual({ kind: 'section', section: 'dashboard' });
    expect(parseRoute('#elsewhere/x')).toEqual({ kind: 'section', section: 'dashboard' });
  });

  it('counts a day, a tag and a report as part of the dashboard section', () => {
    expect(sectionOf(parseRoute('#day/2026-11-24'))).toBe('dashboard');
    expect(sectionOf(parseRoute('#tag/x'))).toBe('dashboard');
    expect(sectionOf(parseRoute('#report/2026-W49'))).toBe('dashboard');
    expect(sectionOf(parseRoute('#export-heading'))).toBe('privacy');
    expect(sectionOf(parseRoute('#sync'))).toBe('sync');
  });
});
