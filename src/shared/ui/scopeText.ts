/**
 * How each consent scope is named and explained to the person, in one place: the choices, the onboarding summary,
 * the consent history and the policy all use these words, so a scope is never described two ways.
 */
import type { Scope } from '../consent';

interface ScopeText {
  label: string;
  /** One sentence: what turning it on collects or sends. */
  collects: string;
  /** One sentence: what happens without it. */
  ifDeclined: string;
}

export const scopeText: Record<Scope, ScopeText> = {
  usage: {
    label: 'Record my Instagram use',
    collects:
      'The time you spend on each part of Instagram (feed, Explore, Reels, Stories, messages and others), how many posts, reels and stories you view, and the hashtags you see and use — kept in this browser only.',
    ifDeclined: 'Nothing is recorded, and the dashboard stays empty.',
  },
  account: {
    label: 'Read my Instagram account',
    collects:
      'Your Instagram username and your own account’s follower, following and post counts, kept as one snapshot a day in this browser only.',
    ifDeclined: 'The account features — your username, account stats and per-account history — do not run.',
  },
  uploadUsage: {
    label: 'Send anonymous usage data',
    collects:
      'Lets smartTags send your usage records without your username, with your browser, operating system, device type and time zone, over HTTPS to the smartTags server you choose in the Sync settings.',
    ifDeclined: 'Your usage data stays in this browser, and everything on this device works the same.',
  },
  uploadAccount: {
    label: 'Send my account analytics',
    collects:
      'Lets smartTags send your username with your account’s daily stats to the smartTags service, to analyse your own account over time.',
    ifDeclined: 'Your username and account stats never leave this browser.',
  },
};
