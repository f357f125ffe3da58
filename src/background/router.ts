/**
 * The background's single entry for runtime messages. Order matters and is the point of this module:
 * 1. classify the sender (src/shared/sender.ts) — untrusted senders are refused before their message is looked at;
 * 2. look up the message type's route, which names the one sender class it is allowed from;
 * 3. validate the message with its zod schema;
 * 4. only then run the handler.
 * Every refusal is answered with a readable error, never a thrown exception, so callers can show it.
 */

import type { SmartTagsDatabase } from '../shared/db';
import type { ErrorCode, FailureReply } from '../shared/messages';
import { pageSeenMessage } from '../shared/messages';
import { classifySender, type OwnExtension, type SenderClass, type SenderFacts } from '../shared/sender';
import type { z } from '../shared/zod';
import { recordPageSeen } from './pages';

export interface RouterContext {
  db: SmartTagsDatabase;
  own: OwnExtension;
  now: () => number;
}

export type Reply = { ok: true; value?: unknown } | FailureReply;

interface Route {
  from: SenderClass;
  run: (raw: unknown, context: RouterContext) => Promise<Reply>;
}

function failure(code: ErrorCode, message: string): FailureReply {
  return { ok: false, error: { code, message } };
}

/** Binds a schema to its handler so the handler only ever sees a validated message. */
function route<Schema extends z.ZodType>(
  from: SenderClass,
  schema: Schema,
  handle: (message: z.infer<Schema>, context: RouterContext) => Promise<Reply>,
): Route {
  return {
    from,
    run: async (raw, context) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return failure('bad-message', parsed.error.issues.map(describeIssue).join('; '));
      return handle(parsed.data, context);
    },
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'message';
  return `${where}: ${issue.message}`;
}

const routes: Record<string, Route> = {
  'page.seen': route('instagram-content-script', pageSeenMessage, async (message, { db, now }) => {
    await recordPageSeen(db, message.path, now());
    return { ok: true };
  }),
};

function messageType(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

export async function routeMessage(raw: unknown, sender: SenderFacts, context: RouterContext): Promise<Reply> {
  const senderClass = classifySender(sender, context.own);
  if (senderClass === 'untrusted') return failure('forbidden', 'Messages are accepted only from smartTags itself.');
  const type = messageType(raw);
  if (type === undefined) return failure('bad-message', 'A message must be an object with a string "type".');
  const target = Object.hasOwn(routes, type) ? routes[type] : undefined;
  if (!target) return failure('unknown-type', `Unknown message type "${type}".`);
  if (target.from !== senderClass) return failure('forbidden', `"${type}" is not accepted from a ${senderClass}.`);
  try {
    return await target.run(raw, context);
  } catch (error) {
    return failure('internal', error instanceof Error ? error.message : String(error));
  }
}
