import { t } from './i18n';

/** The sentence to show for a failure: the background's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message.length > 0) return error.message;
  return t('commonUnknownError');
}
