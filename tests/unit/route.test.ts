import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from '../../src/options/route';

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
