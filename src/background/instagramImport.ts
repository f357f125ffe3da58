/**
 * Imports Instagram's own data export ("Download your information", JSON): the options page reads the wanted files
 * out of the zip and sends their text (`instagram.import`); here the plan is made again from those files (a plan from
 * the page is never trusted), consent is applied, and the days and account points are merged into the tables of
 * imported history (rules: src/shared/domain/instagramHistory.ts), all in one transaction of the write guard — so
 * nothing is half-written, and a withdrawal that committed first always wins.
 *
 * Other people: the plan counts views by author only to merge split exports; authors never leave the planner. The
 * followers' usernames the plan carries are kept — in the same transaction, as the newest of at most two follower
 * lists — only when the person turned "Keep my follower list" on (rules: src/shared/domain/followerLists.ts), and
 * are never answered: the page is told counts and dates only, and reads the kept lists itself.
 */
import type { InstagramImportPlan, InstagramImportResult } from '../shared/contracts/instagramExport';
import { decideFollowerList, listsToDropForNew, normalisedUsernames } from '../shared/domain/followerLists';
import {
  type ExportFile,
  ExportImportError,
  type ExportImportFailure,
  planInstagramImport,
} from '../shared/domain/instagramExport';
import {
  consentedHistory,
  isOtherAccount,
  mergeImportedDay,
  mergeImportedPoint,
} from '../shared/domain/instagramHistory';
import type { BackgroundContext } from './context';
import { readSettings } from './settings';
import { guardedWrite } from './writeGuard';

/** Why an import is refused as a whole. */
type InstagramImportRefusal = ExportImportFailure | 'other-account';

export type InstagramImportOutcome =
  | { ok: true; value: InstagramImportResult }
  | { ok: false; reason: InstagramImportRefusal; message: string };

const rule = {
  tables: ['importedDays', 'importedAccountPoints', 'accountSnapshots', 'followerLists'],
  consent: {
    notNeeded:
      'the import brings in only what the stored consent allows (consentedHistory; the follower list only under ' +
      '`account`, decideFollowerList); what it may not bring is left out, and the answer says so',
  },
  pause: {
    notApplied:
      'an import is the person’s own action on their own file, not recording: the pause stops observing ' +
      'Instagram, not reading an export',
  },
} as const;

export async function importInstagramExport(
  context: BackgroundContext,
  files: readonly ExportFile[],
  dryRun: boolean,
): Promise<InstagramImportOutcome> {
  let followerUsernames: string[] | null;
  let plan: InstagramImportPlan;
  try {
    const planned = planInstagramImport(files, context.timeZone());
    followerUsernames = planned.followerUsernames && normalisedUsernames(planned.followerUsernames);
    // The answer carries no other person's username, whatever becomes of the list.
    plan = { ...planned, followerUsernames: null };
  } catch (error) {
    if (error instanceof ExportImportError) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
  const { db } = context;
  const guarded = await guardedWrite(context, rule, async (consent): Promise<InstagramImportOutcome> => {
    const storedLists = await db.followerLists.toArray();
    const known = new Set([
      ...((await db.accountSnapshots.orderBy('username').uniqueKeys()) as string[]),
      ...((await db.importedAccountPoints.orderBy('username').uniqueKeys()) as string[]),
      ...storedLists.map((list) => list.exportOwner),
    ]);
    if (isOtherAccount(plan.owner, known)) {
      return {
        ok: false,
        reason: 'other-account',
        message: `This export is of @${plan.owner}, not of the account smartTags recorded (${[...known].sort().join(', ')}).`,
      };
    }
    const history = consentedHistory(plan, consent.scopes);
    const now = context.now();
    const storedDays = await db.importedDays.bulkGet(history.days.map((day) => day.date));
    const days = history.days.flatMap((day, index) => mergeImportedDay(storedDays[index], day, now) ?? []);
    const storedPoints = await db.importedAccountPoints.bulkGet(
      history.points.map((point): [string, string] => [point.username, point.date]),
    );
    const points = history.points.flatMap((point, index) => mergeImportedPoint(storedPoints[index], point, now) ?? []);
    const storedDates = new Set(storedDays.flatMap((day) => (day ? [day.date] : [])));
    const daysRaised = days.filter((day) => storedDates.has(day.date)).length;
    const pointKey = (point: { username: string; date: string }) => `${point.username}\u0000${point.date}`;
    const storedPointKeys = new Set(storedPoints.flatMap((point) => (point ? [pointKey(point)] : [])));
    const pointsRaised = points.filter((point) => storedPointKeys.has(pointKey(point))).length;
    // Read in this transaction, so turning the setting off (which deletes the lists) and an import never interleave.
    const followerList = decideFollowerList({
      keep: (await readSettings(context)).keepFollowerLists === true,
      account: consent.scopes.account,
      owner: plan.owner,
      usernames: followerUsernames,
      stored: storedLists,
    });
    if (!dryRun) {
      await db.importedDays.bulkPut(days);
      await db.importedAccountPoints.bulkPut(points);
      if (followerList.outcome === 'kept' && plan.owner !== null && followerUsernames !== null) {
        const dropped = listsToDropForNew(storedLists).flatMap((list) => (list.id === undefined ? [] : [list.id]));
        await db.followerLists.bulkDelete(dropped);
        await db.followerLists.add({ importedAt: now, exportOwner: plan.owner, usernames: followerUsernames });
      }
    }
    return {
      ok: true,
      value: {
        plan,
        applied: !dryRun,
        leftOutByConsent: history.leftOutByConsent,
        pointsWithoutOwner: history.pointsWithoutOwner,
        changes: {
          daysAdded: days.length - daysRaised,
          daysRaised,
          pointsAdded: points.length - pointsRaised,
          pointsRaised,
        },
        followerList,
      },
    };
  });
  return guarded.value;
}
