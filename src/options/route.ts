/**
 * The options page's addresses: each section has its own (`#dashboard`, `#goals`, `#privacy`, `#sync`), and so do the
 * dashboard's pages — a day (`#day/2026-11-24`), a hashtag (`#tag/<the tag, URL-encoded>`) and a week's report
 * (`#report/2026-W49`, which the weekly notification opens). Older links into the one long page named the element they
 * pointed at (`#recording-health`, `#export-heading`…); they still work: such an address shows the section holding
 * that element, which the page then scrolls to. Pure, so it is tested without a page.
 */
import { isCalendarDate } from '../shared/domain/dates';

export const sections = ['dashboard', 'goals', 'privacy', 'sync'] as const;
export type Section = (typeof sections)[number];

export type OptionsRoute =
  | { kind: 'section'; section: Section /** The element an older link pointed at, to scroll to. */; anchor?: string }
  | { kind: 'report'; week: string }
  | { kind: 'day'; date: string }
  | { kind: 'tag'; tag: string };

/**
 * Elements inside a section that links (the popup's, older bookmarks, the tests) point at directly. Everything under
 * "Your data and privacy" that has its own heading id is there.
 */
const anchorSections: Record<string, Section> = {
  'recording-health': 'privacy',
  'choices-heading': 'privacy',
  'ledger-heading': 'privacy',
  'local-edits-heading': 'privacy',
  'policy-heading': 'privacy',
  'retention-heading': 'privacy',
  'attention-heading': 'privacy',
  'export-heading': 'privacy',
  'import-heading': 'privacy',
  'delete-heading': 'privacy',
  'about-heading': 'privacy',
  'reminders-heading': 'goals',
};

function isSection(value: string): value is Section {
  return (sections as readonly string[]).includes(value);
}

/** A URL-encoded part of an address, or null when it is not valid encoding (a hand-typed "%zz"). */
function decoded(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

const dashboard: OptionsRoute = { kind: 'section', section: 'dashboard' };

/** The route of a location hash (with or without its `#`); an empty, unknown or malformed one is the dashboard. */
export function parseRoute(hash: string): OptionsRoute {
  const path = hash.replace(/^#/, '');
  const slash = path.indexOf('/');
  if (slash > 0) {
    const rest = decoded(path.slice(slash + 1));
    if (rest === null || rest === '') return dashboard;
    switch (path.slice(0, slash)) {
      case 'report':
        return { kind: 'report', week: rest };
      case 'day':
        return isCalendarDate(rest) ? { kind: 'day', date: rest } : dashboard;
      case 'tag':
        return { kind: 'tag', tag: rest };
      default:
        return dashboard;
    }
  }
  const name = decoded(path) ?? '';
  if (isSection(name)) return { kind: 'section', section: name };
  const section = anchorSections[name];
  if (section) return { kind: 'section', section, anchor: name };
  return dashboard;
}

/** The hash of a route, for links. */
export function routeHash(route: OptionsRoute): string {
  switch (route.kind) {
    case 'report':
      return `#report/${route.week}`;
    case 'day':
      return `#day/${route.date}`;
    case 'tag':
      return `#tag/${encodeURIComponent(route.tag)}`;
    default:
      return `#${route.section}`;
  }
}

/** The link to a day's page. */
export const dayHref = (date: string) => routeHash({ kind: 'day', date });

/** The link to a hashtag's page. */
export const tagHref = (tag: string) => routeHash({ kind: 'tag', tag });

/** The section a route is part of, which the page's navigation marks: a day, a tag and a report are the dashboard's. */
export function sectionOf(route: OptionsRoute): Section {
  return route.kind === 'section' ? route.section : 'dashboard';
}
