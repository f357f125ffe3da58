/**
 * The background's single entry for runtime messages. Order matters and is the point of this module:
 * 1. classify the sender (src/shared/domain/sender.ts) — untrusted senders are refused before their message is looked at;
 * 2. look up the message type's route — the dispatch table is derived from the catalogue
 *    (src/shared/contracts/messages.ts) — which names the one sender class it is allowed from;
 * 3. validate the message with its zod schema;
 * 4. only then run the handler.
 * Every refusal is answered with a readable error, never a thrown exception, so callers can show it.
 */
import {
  type AllowedSender,
  type AnyReply,
  type ErrorCode,
  type FailureReply,
  type MessageOf,
  type MessageType,
  messageCatalogue,
  messageTypes,
  type ReplyTo,
  type SuccessReply,
} from '../shared/contracts/messages';
import { classifySender, type SenderFacts } from '../shared/domain/sender';
import { checkBackendUrl } from '../shared/domain/uploadPolicy';
import type { z } from '../shared/zod';
import { changeConsent, consentView } from './consent';
import { readConsent } from './consentState';
import type { BackgroundContext } from './context';
import { exportData, importData, wipeData } from './data';
import { editDay } from './edits';
import { deleteFollowerLists, setKeepFollowerLists } from './followerLists';
import { importInstagramExport } from './instagramImport';
import { pauseRecording } from './pause';
import { updateSettings } from './settings';
import { changeBackend, drain, previewUpload, requestRemoteDeletion } from './sync/sync';
import { recordAccount, recordQuality, recordUsage, type WriteOutcome } from './usage';
import { recordVisit } from './visits';
import { runWeeklyReport } from './weeklyReport';

/** Runs one message type, given a message its schema already accepted. */
type Handler<Type extends MessageType> = (
  message: MessageOf<Type>,
  context: BackgroundContext,
  sender: SenderFacts,
) => Promise<ReplyTo<Type>>;

function failure(code: ErrorCode, message: string, reason?: string): FailureReply {
  return { ok: false, error: reason === undefined ? { code, message } : { code, message, reason } };
}

/** `{ok: true}` when there is nothing to answer, otherwise `{ok: true, value}`. */
function success<Value>(value: Value): SuccessReply<Value> {
  // TypeScript cannot narrow the conditional SuccessReply<Value> from a run-time check on `value`, hence the cast.
  return (value === undefined ? { ok: true } : { ok: true, value }) as SuccessReply<Value>;
}

const done = { ok: true } as const;

function writeReply(outcome: WriteOutcome): { ok: true } | FailureReply {
  if (outcome === 'no-consent') return failure('no-consent', 'The scope this needs is off; nothing was stored.');
  if (outcome === 'paused') return failure('paused', 'Recording is paused; nothing was stored.');
  if (outcome === 'implausible') return failure('bad-message', 'The report names times too far from now.');
  return done;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'message';
  return `${where}: ${issue.message}`;
}

/** Which of our pages sent a message, for the ledger: the popup, or else the options page. */
function pageSource(sender: SenderFacts, context: BackgroundContext): 'popup' | 'options' {
  return sender.url?.startsWith(`${context.own.origin}/src/popup/`) ? 'popup' : 'options';
}

/**
 * One handler per catalogued message (src/shared/contracts/messages.ts). A mapped type, so a message added to the
 * catalogue without a handler here is a type error, and each handler's message and answer are its type's.
 */
const handlers: { [Type in MessageType]: Handler<Type> } = {
  'page.seen': async (message, context) => {
    const outcome = await recordVisit(context, message.path, message.signedOut === true);
    if (outcome === 'no-consent') return failure('no-consent', 'Recording Instagram use is off (scope "usage").');
    if (outcome === 'paused') return failure('paused', 'Recording is paused; nothing was stored.');
    return done;
  },
  'usage.report': async (message, context) => writeReply(await recordUsage(context, message)),
  'account.report': async (message, context) => writeReply(await recordAccount(context, message)),
  'quality.report': async (message, context) => writeReply(await recordQuality(context, message.reader, message.state)),
  'consent.get': async (_message, context) => success(consentView(await readConsent(context), context.policyHistory)),
  'consent.set': async (message, context) => {
    const outcome = await changeConsent(context, message.scopes, message.source);
    if (!outcome.ok) return failure('refused', outcome.reason);
    return success(outcome.view);
  },
  'data.export': async (_message, context) => success(await exportData(context)),
  'data.import': async (message, context) => {
    const outcome = await importData(context, message.document, message.mode, message.dryRun ?? false);
    if (!outcome.ok) return failure('bad-import', outcome.reason);
    return success({ plan: outcome.plan, applied: outcome.applied });
  },
  'instagram.import': async (message, context) => {
    const outcome = await importInstagramExport(context, message.files, message.dryRun ?? false);
    if (!outcome.ok) return failure('bad-import', outcome.message, outcome.reason);
    return success(outcome.value);
  },
  'followerLists.keep': async (message, context) => success(await setKeepFollowerLists(context, message.keep)),
  'followerLists.delete': async (_message, context) => success(await deleteFollowerLists(context)),
  'data.wipe': async (message, context, sender) => {
    await wipeData(context, message.stopRecording ?? false, pageSource(sender, context));
    return done;
  },
  'day.edit': async (message, context) => {
    const outcome = await editDay(context, message.date, message.surface);
    if (!outcome.ok) return failure('not-found', outcome.reason);
    return success({ removedMs: outcome.removedMs });
  },
  'settings.set': async (message, context) => {
    const { type: _type, ...change } = message;
    await updateSettings(context, change);
    // Here rather than in updateSettings: the report's module reads the settings, so that would be an import cycle.
    if (change.weeklyReport !== undefined) await runWeeklyReport(context);
    return done;
  },
  'recording.pause': async (message, context) => {
    const outcome = await pauseRecording(context, message.until);
    if (!outcome.ok) return failure('refused', outcome.reason);
    return success({ pausedUntil: outcome.pausedUntil });
  },
  'sync.configure': async (message, context) => {
    let origin: string | null = null;
    if (message.backendUrl !== null) {
      const checked = checkBackendUrl(message.backendUrl);
      if (!checked.ok) return failure('refused', checked.reason);
      origin = checked.origin;
    }
    const change = await changeBackend(context, origin, message.keepOldData === true);
    // The old backend's deletion goes now rather than at the next alarm; it is stored, so a failure is retried.
    if (change.oldData === 'deleted') void drain(context).catch(() => undefined);
    return success(change);
  },
  'sync.now': async (_message, context) => success(await drain(context)),
  'sync.preview': async (_message, context) => success(await previewUpload(context)),
  'sync.deleteRemote': async (_message, context) => {
    const queued = await requestRemoteDeletion(context);
    if (queued) await drain(context);
    return success({ queued });
  },
};

interface Route {
  from: AllowedSender;
  run: (raw: unknown, context: BackgroundContext, sender: SenderFacts) => Promise<AnyReply>;
}

/** Binds a type's schema to its handler, so the handler only ever sees a message its schema accepted. */
function route(type: MessageType): Route {
  const { from, schema } = messageCatalogue[type];
  // The schema and the handler are both looked up by `type`, so the handler takes what the schema parses; TypeScript
  // cannot follow that correlation through two lookups, so it is told the handler takes any catalogued message.
  const handle = handlers[type] as Handler<MessageType>;
  return {
    from,
    run: async (raw, context, sender) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return failure('bad-message', parsed.error.issues.map(describeIssue).join('; '));
      return handle(parsed.data, context, sender);
    },
  };
}

/** The dispatch table, derived from the catalogue. A Map, so inherited names (`constructor`) are not types. */
const routes: ReadonlyMap<string, Route> = new Map(messageTypes.map((type) => [type, route(type)]));

function messageType(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

export async function routeMessage(raw: unknown, sender: SenderFacts, context: BackgroundContext): Promise<AnyReply> {
  const senderClass = classifySender(sender, context.own);
  if (senderClass === 'untrusted') return failure('forbidden', 'Messages are accepted only from smartTags itself.');
  const type = messageType(raw);
  if (type === undefined) return failure('bad-message', 'A message must be an object with a string "type".');
  const target = routes.get(type);
  if (!target) return failure('unknown-type', `Unknown message type "${type}".`);
  if (target.from !== senderClass) return failure('forbidden', `"${type}" is not accepted from a ${senderClass}.`);
  try {
    return await target.run(raw, context, sender);
  } catch (error) {
    return failure('internal', error instanceof Error ? error.message : String(error));
  }
}
