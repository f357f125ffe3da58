import { addDays } from '../shared/domain/dates';
import {
  type FollowersNow,
  latestFollowers,
  sevenDayAverage,
  surfaceBreakdown,
  topTags,
} from '../shared/domain/reports';
import type { DayRecord } from '../shared/storage/records';
import { formatDate, formatDuration, formatNumber } from '../shared/ui/format';
import { t, tPlural, tWithNodes } from '../shared/ui/i18n';
import { surfaceLabels } from '../shared/ui/surfaces';
import type { TodayFacts } from './readToday';

/** A difference under this is "about the same" as the average: minutes are what the figures show. */
const sameAsAverageMs = 60_000;

/** Today's time, how it compares, where it went, what was seen; and the account's followers when allowed. */
export function Today({ facts, accountAllowed }: { facts: TodayFacts; accountAllowed: boolean }) {
  return (
    <>
      <section aria-labelledby="today-heading" class="today">
        <h2 id="today-heading">{t('popupTodayHeading')}</h2>
        {facts.signedOut && (
          <p class="notice" data-testid="signed-out">
            {t('popupTodaySignedOut')}
          </p>
        )}
        {facts.anyDay ? <TodayFigures facts={facts} /> : <NothingYet />}
      </section>
      {accountAllowed && <Followers facts={facts} />}
    </>
  );
}

function NothingYet() {
  return (
    <p class="empty" data-testid="today-empty">
      {tWithNodes(
        'popupTodayNothingYet',
        <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
          instagram.com
        </a>,
      )}
    </p>
  );
}

function TodayFigures({ facts }: { facts: TodayFacts }) {
  const { day, week, today } = facts;
  const total = day?.activeMs ?? 0;
  const passive = passiveMsOf(day);
  const average = sevenDayAverage(week, today);
  const hadEarlierDays = week.some((entry) => entry.date < today && entry.activeMs > 0);
  const breakdown = surfaceBreakdown(day);
  const tags = day ? topTags([day], { by: 'seen', limit: 5 }) : [];
  return (
    <>
      <p class="today-total">
        <strong data-testid="today-total">{formatDuration(total)}</strong> {t('popupTodayTotal')}
      </p>
      {passive > 0 && (
        <p class="hint" data-testid="today-passive">
          {t('popupTodayPassive', formatDuration(passive))}
        </p>
      )}
      <p class="hint" data-testid="today-average">
        {!hadEarlierDays
          ? t('popupTodayNoAverage')
          : Math.abs(total - average) < sameAsAverageMs
            ? t('popupTodayAboutAverage', formatDuration(average))
            : t(
                total > average ? 'popupTodayMoreThanAverage' : 'popupTodayLessThanAverage',
                formatDuration(Math.abs(total - average)),
                formatDuration(average),
              )}
      </p>
      {breakdown.length === 0 ? (
        <p class="empty" data-testid="today-nothing">
          {t('popupTodayNothingToday')}
        </p>
      ) : (
        <>
          <h3 class="visually-hidden">{t('popupTodaySurfaces')}</h3>
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
          <h3>{t('popupTodayViews')}</h3>
          <p data-testid="today-views">
            {t(
              'popupTodayViewCounts',
              formatNumber(day?.views.posts ?? 0),
              formatNumber(day?.views.reels ?? 0),
              formatNumber(day?.views.stories ?? 0),
            )}
          </p>
          <h3>{t('popupTodayTags')}</h3>
          {tags.length === 0 ? (
            <p class="empty">{t('popupTodayNoTags')}</p>
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

/** Of the day's time, the part counted only because a video stayed on screen without input (the passive rule). */
function passiveMsOf(day: DayRecord | undefined): number {
  return Object.values(day?.passiveSurfaces ?? {}).reduce((sum, ms) => sum + ms, 0);
}

function Followers({ facts }: { facts: TodayFacts }) {
  const accounts = latestFollowers(facts.snapshots);
  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">{t('popupTodayAccount')}</h2>
      {accounts.length === 0 ? (
        <p class="empty" data-testid="account-empty">
          {t('popupTodayNoAccount')}
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

/** "+13", "−4" or "±0" since a date; "about …" when either count was rounded. */
function changeText(by: number, since: string, exact: boolean): string {
  const signed = `${by > 0 ? '+' : by < 0 ? '−' : '±'}${formatNumber(Math.abs(by))}`;
  return t(exact ? 'popupTodayChange' : 'popupTodayChangeAbout', signed, since);
}

function FollowersLine({ account, today }: { account: FollowersNow; today: string }) {
  const { change, followers } = account;
  const sinceText = (date: string) =>
    date === addDays(account.date, -1) ? t('popupTodayYesterday') : formatDate(date);
  return (
    <li>
      <span class="username">@{account.username}</span>{' '}
      <strong>{tPlural(followers.value, 'popupTodayFollowersOne', 'popupTodayFollowersOther')}</strong>
      {!followers.exact && <span class="hint"> ({t('popupTodayRounded')})</span>}
      <span class="hint">
        {' · '}
        {change === null ? t('popupTodayNoChange') : changeText(change.by, sinceText(change.since), change.exact)}
        {account.date !== today && ` · ${t('popupTodayAsOf', formatDate(account.date))}`}
      </span>
    </li>
  );
}
