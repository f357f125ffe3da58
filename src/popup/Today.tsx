import { Fragment } from 'preact';
import { addDays } from '../shared/domain/dates';
import { usualForWeekday } from '../shared/domain/insights';
import { type FollowersNow, latestFollowers, surfaceBreakdown, topTags, weekdayIndex } from '../shared/domain/reports';
import { surfaces } from '../shared/domain/routes';
import type { DayTotalsRecord } from '../shared/storage/records';
import { formatDate, formatDuration, formatNumber, formatWeekday } from '../shared/ui/format';
import { t, tPlural, tWithNodes } from '../shared/ui/i18n';
import { surfaceLabels } from '../shared/ui/surfaces';
import type { CurrentStreak } from './readStreak';
import { type TodayFacts, usualWeeks } from './readToday';

/** A difference under this is "about the same" as the usual: minutes are what the figures show. */
const sameAsUsualMs = 60_000;
const minuteMs = 60_000;
/** Surfaces given a bar of their own; the others share one line, so the popup keeps within Chrome's 600 px. */
const surfacesWithBars = 3;

/**
 * Where the options page lets the person set their daily limits (src/options/Goals.tsx), relative to the popup's own
 * page so no browser API is needed to link to it.
 */
const goalsHref = '../options/index.html#goals';

/**
 * What the popup leads with: today's total, against the usual for this weekday, and against the person's daily
 * limits with the streak of days kept within them. Before anything was recorded, how to start.
 */
export function TodayLead({ facts, streak }: { facts: TodayFacts; streak: CurrentStreak | null }) {
  return (
    <section aria-labelledby="today-heading" class="today">
      <h2 id="today-heading" class="visually-hidden">
        {t('popupTodayHeading')}
      </h2>
      {facts.signedOut && (
        <p class="notice" data-testid="signed-out">
          {t('popupTodaySignedOut')}
        </p>
      )}
      {facts.firstDate === null ? <NothingYet /> : <TotalAndGoals facts={facts} streak={streak} />}
    </section>
  );
}

/**
 * Today's total as ./start.ts painted it before this page loaded — the same elements and test id — while today's
 * figures are read here.
 */
export function EarlyTotal({ totalMs }: { totalMs: number }) {
  return (
    <section class="today" aria-busy="true">
      <p class="today-total">
        <strong data-testid="glance-total">{formatDuration(totalMs)}</strong> {t('popupTodayTotal')}
      </p>
    </section>
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

function TotalAndGoals({ facts, streak }: { facts: TodayFacts; streak: CurrentStreak | null }) {
  const total = facts.day?.activeMs ?? 0;
  const passive = passiveMsOf(facts.day);
  return (
    <>
      {/* The same elements and classes as the total ./firstPaint.ts paints before this page has loaded. */}
      <p class="today-total">
        <strong data-testid="today-total">{formatDuration(total)}</strong> {t('popupTodayTotal')}
      </p>
      <p class="hint today-usual" data-testid="today-usual">
        {usualText(facts, total)}
        {passive > 0 && (
          <>
            {' · '}
            <span data-testid="today-passive">{t('popupTodayPassive', formatDuration(passive))}</span>
          </>
        )}
      </p>
      <Goals facts={facts} total={total} streak={streak} />
    </>
  );
}

/** "12 min more than a usual Friday (33 min)": today so far against the median of this weekday in earlier weeks. */
function usualText(facts: TodayFacts, total: number): string {
  const weekday = formatWeekday(weekdayIndex(facts.today));
  const usual = usualForWeekday(facts.sameWeekday, facts.today, usualWeeks, facts.firstDate);
  if (usual === null) return t('popupUsualNone', weekday);
  if (Math.abs(total - usual) < sameAsUsualMs) return t('popupUsualAbout', weekday, formatDuration(usual));
  return t(
    total > usual ? 'popupUsualMore' : 'popupUsualLess',
    formatDuration(Math.abs(total - usual)),
    weekday,
    formatDuration(usual),
  );
}

/** Progress toward each daily limit the person set, and the streak; a pointer to the limits when none is set. */
function Goals({ facts, total, streak }: { facts: TodayFacts; total: number; streak: CurrentStreak | null }) {
  const { dailyLimitMinutes, surfaceLimitsMinutes } = facts.goals;
  const limitedSurfaces = surfaces.filter((surface) => surfaceLimitsMinutes[surface] !== undefined);
  if (dailyLimitMinutes === null && limitedSurfaces.length === 0) {
    return (
      <p class="hint" data-testid="goals-none">
        {tWithNodes(
          'popupGoalsNone',
          <a href={goalsHref} target="_blank" rel="noreferrer" data-testid="goals-set">
            {t('popupGoalsSet')}
          </a>,
        )}
      </p>
    );
  }
  return (
    <div class="goals" data-testid="goals">
      <h3 class="visually-hidden">{t('popupGoalsHeading')}</h3>
      <ul class="goal-list">
        {dailyLimitMinutes !== null && (
          <GoalProgress testId="goal-overall" label={null} usedMs={total} limitMinutes={dailyLimitMinutes} />
        )}
        {limitedSurfaces.map((surface) => (
          <GoalProgress
            key={surface}
            testId={`goal-${surface}`}
            label={surfaceLabels[surface]}
            usedMs={facts.day?.surfaces[surface] ?? 0}
            limitMinutes={surfaceLimitsMinutes[surface] ?? 0}
          />
        ))}
      </ul>
      {streak !== null && <StreakLine streak={streak} />}
    </div>
  );
}

function GoalProgress({
  testId,
  label,
  usedMs,
  limitMinutes,
}: {
  testId: string;
  /** The surface the limit is on; null for the overall limit. */
  label: string | null;
  usedMs: number;
  limitMinutes: number;
}) {
  const limitMs = limitMinutes * minuteMs;
  const over = usedMs > limitMs;
  const limit = formatDuration(limitMs);
  const text = over
    ? t(label === null ? 'popupGoalOverallOver' : 'popupGoalSurfaceOver', formatDuration(usedMs - limitMs), limit)
    : t(label === null ? 'popupGoalOverall' : 'popupGoalSurface', formatDuration(usedMs), limit);
  return (
    <li class={over ? 'goal is-over' : 'goal'} data-testid={testId}>
      <span class="goal-text">
        {label !== null && <span class="goal-surface">{label}: </span>}
        {text}
      </span>
      <span class="bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.round((usedMs / limitMs) * 100))}%` }} />
      </span>
    </li>
  );
}

function StreakLine({ streak }: { streak: CurrentStreak }) {
  return (
    <p class="streak" data-testid="goal-streak">
      {streak.todayWithin ? tPlural(streak.current, 'popupStreakOne', 'popupStreakOther') : t('popupStreakOver')}
    </p>
  );
}

/** Of the day's time, the part counted only because a video stayed on screen without input (the passive rule). */
function passiveMsOf(day: DayTotalsRecord | undefined): number {
  return Object.values(day?.passiveSurfaces ?? {}).reduce((sum, ms) => sum + ms, 0);
}

/** Where today's time went, what was seen, the top hashtags: below the lead and the controls, compact. */
export function TodayBreakdown({ facts }: { facts: TodayFacts }) {
  const { day } = facts;
  const total = day?.activeMs ?? 0;
  const breakdown = surfaceBreakdown(day);
  if (breakdown.length === 0) {
    return (
      <p class="empty" data-testid="today-nothing">
        {t('popupTodayNothingToday')}
      </p>
    );
  }
  const withBars = breakdown.slice(0, surfacesWithBars);
  const rest = breakdown.slice(surfacesWithBars);
  const tags = day ? topTags([day], { by: 'seen', limit: 5 }) : [];
  return (
    <section aria-labelledby="breakdown-heading" class="breakdown">
      <h2 id="breakdown-heading">{t('popupTodaySurfaces')}</h2>
      {/* Every surface with time, most first, each name a `.surface-name`: the first few as bars, then one line. */}
      <div data-testid="surface-bars">
        <ul class="surface-bars">
          {withBars.map(({ surface, ms }) => (
            <li key={surface}>
              <span class="surface-name">{surfaceLabels[surface]}</span>
              <span class="bar" aria-hidden="true">
                <span style={{ width: `${Math.max(2, Math.round((ms / total) * 100))}%` }} />
              </span>
              <span class="surface-time">{formatDuration(ms)}</span>
            </li>
          ))}
        </ul>
        {rest.length > 0 && (
          <p class="hint" data-testid="surface-rest">
            {tWithNodes(
              'popupTodaySurfacesRest',
              rest.map(({ surface, ms }, index) => (
                <Fragment key={surface}>
                  {index > 0 && ' · '}
                  <span class="surface-name">{surfaceLabels[surface]}</span> {formatDuration(ms)}
                </Fragment>
              )),
            )}
          </p>
        )}
      </div>
      <p>
        <span class="label">{t('popupTodayViews')}</span>{' '}
        <span data-testid="today-views">
          {t(
            'popupTodayViewCounts',
            formatNumber(day?.views.posts ?? 0),
            formatNumber(day?.views.reels ?? 0),
            formatNumber(day?.views.stories ?? 0),
          )}
        </span>
      </p>
      <h3 class="visually-hidden">{t('popupTodayTags')}</h3>
      {tags.length === 0 ? (
        <p class="empty">{t('popupTodayNoTags')}</p>
      ) : (
        <ol class="top-tags" data-testid="today-tags" aria-label={t('popupTodayTags')}>
          {tags.map((row) => (
            <li key={row.tag}>
              <span class="tag">#{row.tag}</span> <span class="count">{formatNumber(row.seen)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function Followers({ facts }: { facts: TodayFacts }) {
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
