/**
 * How extension pages talk to the background: one typed call per message, failing with a BackgroundError that
 * carries the background's code and readable message. Components receive an `Ask` function (see AskContext) rather
 * than calling the browser directly, so they are tested with a fake.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { ErrorCode, ExtensionPageMessage, FailureReply, ReplyValues } from '../contracts/messages';
import { t } from './i18n';

export class BackgroundError extends Error {
  constructor(
    readonly code: ErrorCode | 'no-answer',
    message: string,
    /** Which refusal of several the code stands for, when the background said (see FailureReply). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'BackgroundError';
  }
}

export type Ask = <Message extends ExtensionPageMessage>(message: Message) => Promise<ReplyValues[Message['type']]>;

function isFailure(reply: object): reply is FailureReply {
  return 'ok' in reply && reply.ok === false && 'error' in reply;
}

async function askBackground<Message extends ExtensionPageMessage>(
  message: Message,
): Promise<ReplyValues[Message['type']]> {
  const reply: unknown = await browser.runtime.sendMessage(message);
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) {
    throw new BackgroundError('no-answer', t('commonNoAnswer'));
  }
  if (isFailure(reply)) throw new BackgroundError(reply.error.code, reply.error.message, reply.error.reason);
  return (reply as { value?: unknown }).value as ReplyValues[Message['type']];
}

export const AskContext = createContext<Ask>(askBackground);

export function useAsk(): Ask {
  return useContext(AskContext);
}
