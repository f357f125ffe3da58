/**
 * How each consent scope is named and explained to the person, in one place: the choices, the onboarding summary,
 * the consent history and the policy all use these words, so a scope is never described two ways.
 */
import type { Scope } from '../domain/consent';
import { type MessageKey, t } from './i18n';

interface ScopeText {
  readonly label: string;
  /** One sentence: what turning it on collects or sends. */
  readonly collects: string;
  /** One sentence: what happens without it. */
  readonly ifDeclined: string;
}

/** Looked up when read, not when this module loads, so the words are always those of the current messages. */
function scopeEntry(label: MessageKey, collects: MessageKey, ifDeclined: MessageKey): ScopeText {
  return {
    get label() {
      return t(label);
    },
    get collects() {
      return t(collects);
    },
    get ifDeclined() {
      return t(ifDeclined);
    },
  };
}

export const scopeText: Record<Scope, ScopeText> = {
  usage: scopeEntry('scopeUsageLabel', 'scopeUsageCollects', 'scopeUsageIfDeclined'),
  account: scopeEntry('scopeAccountLabel', 'scopeAccountCollects', 'scopeAccountIfDeclined'),
  uploadUsage: scopeEntry('scopeUploadUsageLabel', 'scopeUploadUsageCollects', 'scopeUploadUsageIfDeclined'),
  uploadAccount: scopeEntry('scopeUploadAccountLabel', 'scopeUploadAccountCollects', 'scopeUploadAccountIfDeclined'),
};
