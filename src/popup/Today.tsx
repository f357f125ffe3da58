import { formatDate, formatDuration, formatNumber } from '../options/dashboard/format';
import { surfaceLabels } from '../options/dashboard/surfaces';
import { addDays } from '../shared/dates';
import type { SmartTagsDatabase } from '../shared/db';
import { type FollowersNow, latestFollowers, sevenDayAverage, surfaceBreakdown, topTags } from '../shared/reports';
import { useLiveQuery } from '../shared/ui/useLiveQuery';
import { readToday, type TodayFacts } from './today';

const text = {
  heading: 'Today',
  loading: 'Loading…',
  failed: (message: string) => `Could not read today’s figures: ${message}`,
  total: 'on Instagram today',
  versusAverage: (difference: string, more: boolean, average: string) =>
    `${difference} ${more ? 'more' : 'less'} than your 7-day average (${average})`,
  aboutAverage: (average: string) => `About your 7-day average (${average})`,
  noAverage: 'No earlier days to compare with yet.',
  surfaces: 'Time by surface',
  views: 'Seen today',
  viewCounts: (posts: string, reels: string, stories: string) => `${posts} posts · ${reels} reels · ${stories} stories`,
  tags: 'Top hashtags seen today',
  noTags: 'No hashtags seen today yet.',
  nothingToday: 'No Instagram time recorded today yet.',
  nothingYet: 'Nothing recorded yet. Open ',
  nothingYetEnd: ' in this browser: your time shows up here as you use it.',
  signedOut:
    'Instagram says you are logged out. Log in on instagram.com to see your feed time, and your account’s figures if you allow them.',
  account: 'Your account',
  followers: (count: string) => `${count} followers`,
  change: (by: number, since: string, exact: boolean) =>
    `${exact ? '' : 'about '}${by > 0 ? '+' : by < 0 ? '−' : '±'}${formatNumber(Math.abs(by))} since ${since}`,
  yesterday: 'yesterday',
  noChange: 'no earlier count to compare with',
  asOf: (date: string) => `as of ${date}`,
  rounded: 'rounded, as Instagram shows it',
  noAccount: 'Your followers appear here after you open your own profile on instagram.com.',
};

/** A difference under this is "about the same" as the average: minutes are what the figures show. */
const sameAsAverageMs = 60_000;

/** Today's time, how it compares, where it went, what was seen; and the account's followers when allowed. */
export function Today({
  db,
  today,
  accountAllowed,
}: {
  db: SmartTagsDatabase;
  today: string;
  accountAllowed: boolean;
}) {
  const facts = useLiveQuery(() => readToday(db, today), [db, today]);
  if (facts.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (facts.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(facts.message)}
      </p>
    );
  }
  const { value } = facts;
  return (
    <>
      <section aria-labelledby="today-heading" class="today">
        <h2 id="today-heading">{text.heading}</h2>
        {value.signedOut && (
          <p class="notice" data-testid="signed-out">
            {text.signedOut}
          </p>
        )}
        {value.anyDay ? <TodayFigures facts={value} /> : <NothingYet />}
      </section>
      {accountAllowed && <Followers facts={value} />}
    </>
  );
}

function NothingYet() {
  return (
    <p class="empty" data-testid="today-empty">
      {text.nothingYet}
      <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
        instagram.com
      </a>
      {text.nothingYetEnd}
    </p>
  );
}

function TodayFigures({ facts }: { facts: TodayFacts }) {
  const { day, week, today } = facts;
  const total = day?.activeMs ?? 0;
  const average = sevenDayAverage(week, today);
  const hadEarlierDays = week.some((entry) => entry.date < today && entry.activeMs > 0);
  const breakdown = surfaceBreakdown(day);
  const tags = day ? topTags([day], { by: 'seen', limit: 5 }) : [];
  return (
    <>
      <p class="today-total">
        <strong data-testid="today-total">{formatDuration(total)}</strong> {text.total}
      </p>
      <p class="hint" data-testid="today-average">
        {!hadEarlierDays
          ? text.noAverage
          : Math.abs(total - average) < sameAsAverageMs
            ? text.aboutAverage(formatDuration(average))
            : text.versusAverage(formatDuration(Math.abs(total - average)), total > average, formatDuration(average))}
      </p>
      {breakdown.length === 0 ? (
        <p class="empty" data-testid="today-nothing">
          {text.nothingToday}
        </p>
      ) : (
        <>
          <h3 class="visually-hidden">{text.surfaces}</h3>
          <ul class="surface-bars" data-testid="surface-bars">
            {breakdown.map(({ surface, ms }) => (
              <li key={surface}>
                <span class="surface-name">{surfaceLabels[surface]}</span>
                <span class="bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, Math.round((ms / total) * 100))}%` }} />
                </span>
                <span class="surface-time">{formatDuration(ms)}</span>
              </li>
            ))}
          </ul>
          <h3>{text.views}</h3>
          <p data-testid="today-views">
            {text.viewCounts(
              formatNumber(day?.views.posts ?? 0),
              formatNumber(day?.views.reels ?? 0),
              formatNumber(day?.views.stories ?? 0),
            )}
          </p>
          <h3>{text.tags}</h3>
          {tags.length === 0 ? (
            <p class="empty">{text.noTags}</p>
          ) : (
            <ol class="top-tags" data-testid="today-tags">
              {tags.map((row) => (
                <li key={row.tag}>
                  <span class="tag">#{row.tag}</span> <span class="count">{formatNumber(row.seen)}</span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </>
  );
}

function Followers({ facts }: { facts: TodayFacts }) {
  const accounts = latestFollowers(facts.snapshots);
  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">{text.account}</h2>
      {accounts.length === 0 ? (
        <p class="empty" data-testid="account-empty">
          {text.noAccount}
        </p>
      ) : (
        <ul class="followers" data-testid="account-followers">
          {accounts.map((account) => (
            <FollowersLine key={account.username} account={account} today={facts.today} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FollowersLine({ account, today }: { account: FollowersNow; today: string }) {
  const { change, followers } = account;
  const sinceText = (date: string) => (date === addDays(account.date, -1) ? text.yesterday : formatDate(date));
  return (
    <li>
      <span class="username">@{account.username}</span> <strong>{text.followers(formatNumber(followers.value))}</strong>
      {!followers.exact && <span class="hint"> ({text.rounded})</span>}
      <span class="hint">
        {' · '}
        {change === null ? text.noChange : text.change(change.by, sinceText(change.since), change.exact)}
        {account.date !== today && ` · ${text.asOf(formatDate(account.date))}`}
      </span>
    </li>
  );
}
