/**
 * The background's single entry for runtime messages. Order matters and is the point of this module:
 * 1. classify the sender (src/shared/domain/sender.ts) — untrusted senders are refused before their message is looked at;
 * 2. look up the message type's route, which names the one sender class it is allowed from;
 * 3. validate the message with its zod schema;
 * 4. only then run the handler.
 * Every refusal is answered with a readable error, never a thrown exception, so callers can show it.
 */
import {
  accountReportMessage,
  consentGetMessage,
  consentSetMessage,
  dataExportMessage,
  dataImportMessage,
  dataWipeMessage,
  type ErrorCode,
  type FailureReply,
  pageSeenMessage,
  qualityReportMessage,
  type ReplyValues,
  recordingPauseMessage,
  settingsSetMessage,
  syncConfigureMessage,
  syncDeleteRemoteMessage,
  syncNowMessage,
  syncPreviewMessage,
  usageReportMessage,
} from '../shared/contracts/messages';
import { classifySender, type SenderClass, type SenderFacts } from '../shared/domain/sender';
import type { z } from '../shared/zod';
import { changeConsent, consentView } from './consent';
import { readConsent } from './consentState';
import type { BackgroundContext } from './context';
import { exportData, importData, wipeData } from './data';
import { pauseRecording } from './pause';
import { updateSettings } from './settings';
import { checkBackendUrl } from './sync/policy';
import { changeBackend, drain, previewUpload, requestRemoteDeletion } from './sync/sync';
import { recordAccount, recordQuality, recordUsage, type WriteOutcome } from './usage';
import { recordVisit } from './visits';

export type Reply = { ok: true; value?: unknown } | FailureReply;

interface Route {
  from: SenderClass;
  run: (raw: unknown, context: BackgroundContext, sender: SenderFacts) => Promise<Reply>;
}

function failure(code: ErrorCode, message: string): FailureReply {
  return { ok: false, error: { code, message } };
}

function success<Type extends keyof ReplyValues>(_type: Type, value: ReplyValues[Type]): Reply {
  return value === undefined ? { ok: true } : { ok: true, value };
}

/** Binds a schema to its handler so the handler only ever sees a validated message. */
function route<Schema extends z.ZodType>(
  from: SenderClass,
  schema: Schema,
  handle: (message: z.infer<Schema>, context: BackgroundContext, sender: SenderFacts) => Promise<Reply>,
): Route {
  return {
    from,
    run: async (raw, context, sender) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return failure('bad-message', parsed.error.issues.map(describeIssue).join('; '));
      return handle(parsed.data, context, sender);
    },
  };
}

function writeReply(type: 'usage.report' | 'account.report' | 'quality.report', outcome: WriteOutcome): Reply {
  if (outcome === 'no-consent') return failure('no-consent', 'The scope this needs is off; nothing was stored.');
  if (outcome === 'paused') return failure('paused', 'Recording is paused; nothing was stored.');
  if (outcome === 'implausible') return failure('bad-message', 'The report names times too far from now.');
  return success(type, undefined);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'message';
  return `${where}: ${issue.message}`;
}

/** Which of our pages sent a message, for the ledger: the popup, or else the options page. */
function pageSource(sender: SenderFacts, context: BackgroundContext): 'popup' | 'options' {
  return sender.url?.startsWith(`${context.own.origin}/src/popup/`) ? 'popup' : 'options';
}

const routes: Record<string, Route> = {
  'page.seen': route('instagram-content-script', pageSeenMessage, async (message, context) => {
    const outcome = await recordVisit(context, message.path, message.signedOut === true);
    if (outcome === 'no-consent') return failure('no-consent', 'Recording Instagram use is off (scope "usage").');
    if (outcome === 'paused') return failure('paused', 'Recording is paused; nothing was stored.');
    return success('page.seen', undefined);
  }),
  'usage.report': route('instagram-content-script', usageReportMessage, async (message, context) =>
    writeReply('usage.report', await recordUsage(context, message)),
  ),
  'account.report': route('instagram-content-script', accountReportMessage, async (message, context) =>
    writeReply('account.report', await recordAccount(context, message)),
  ),
  'quality.report': route('instagram-content-script', qualityReportMessage, async (message, context) =>
    writeReply('quality.report', await recordQuality(context, message.signal, message.state)),
  ),
  'recording.pause': route('extension-page', recordingPauseMessage, async (message, context) => {
    const outcome = await pauseRecording(context, message.until);
    if (!outcome.ok) return failure('refused', outcome.reason);
    return success('recording.pause', { pausedUntil: outcome.pausedUntil });
  }),
  'sync.configure': route('extension-page', syncConfigureMessage, async (message, context) => {
    let origin: string | null = null;
    if (message.backendUrl !== null) {
      const checked = checkBackendUrl(message.backendUrl);
      if (!checked.ok) return failure('refused', checked.reason);
      origin = checked.origin;
    }
    const change = await changeBackend(context, origin, message.keepOldData === true);
    // The old backend's deletion goes now rather than at the next alarm; it is stored, so a failure is retried.
    if (change.oldData === 'deleted') void drain(context).catch(() => undefined);
    return success('sync.configure', change);
  }),
  'sync.now': route('extension-page', syncNowMessage, async (_message, context) =>
    success('sync.now', await drain(context)),
  ),
  'sync.preview': route('extension-page', syncPreviewMessage, async (_message, context) =>
    success('sync.preview', await previewUpload(context)),
  ),
  'sync.deleteRemote': route('extension-page', syncDeleteRemoteMessage, async (_message, context) => {
    const queued = await requestRemoteDeletion(context);
    if (queued) await drain(context);
    return success('sync.deleteRemote', { queued });
  }),
  'consent.get': route('extension-page', consentGetMessage, async (_message, context) =>
    success('consent.get', consentView(await readConsent(context), context.policyHistory)),
  ),
  'consent.set': route('extension-page', consentSetMessage, async (message, context) => {
    const outcome = await changeConsent(context, message.scopes, message.source);
    if (!outcome.ok) return failure('refused', outcome.reason);
    return success('consent.set', outcome.view);
  }),
  'data.export': route('extension-page', dataExportMessage, async (_message, context) =>
    success('data.export', await exportData(context)),
  ),
  'data.import': route('extension-page', dataImportMessage, async (message, context) => {
    const outcome = await importData(context, message.document, message.mode, message.dryRun ?? false);
    if (!outcome.ok) return failure('bad-import', outcome.reason);
    return success('data.import', { plan: outcome.plan, applied: outcome.applied });
  }),
  'data.wipe': route('extension-page', dataWipeMessage, async (message, context, sender) => {
    await wipeData(context, message.stopRecording ?? false, pageSource(sender, context));
    return success('data.wipe', undefined);
  }),
  'settings.set': route('extension-page', settingsSetMessage, async (message, context) => {
    const { type: _type, ...change } = message;
    await updateSettings(context, change);
    return success('settings.set', undefined);
  }),
};

function messageType(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

export async function routeMessage(raw: unknown, sender: SenderFacts, context: BackgroundContext): Promise<Reply> {
  const senderClass = classifySender(sender, context.own);
  if (senderClass === 'untrusted') return failure('forbidden', 'Messages are accepted only from smartTags itself.');
  const type = messageType(raw);
  if (type === undefined) return failure('bad-message', 'A message must be an object with a string "type".');
  const target = Object.hasOwn(routes, type) ? routes[type] : undefined;
  if (!target) return failure('unknown-type', `Unknown message type "${type}".`);
  if (target.from !== senderClass) return failure('forbidden', `"${type}" is not accepted from a ${senderClass}.`);
  try {
    return await target.run(raw, context, sender);
  } catch (error) {
    return failure('internal', error instanceof Error ? error.message : String(error));
  }
}
