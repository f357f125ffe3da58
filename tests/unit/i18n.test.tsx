// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Onboarding } from '../../src/onboarding/Onboarding';
import { SmartTagsDatabase } from '../../src/shared/storage/db';
import { messagesLanguage } from '../../src/shared/text/i18n';
import { formatDuration, formatNumber } from '../../src/shared/ui/format';
import {
  formatCount,
  formatList,
  localizeDocument,
  type MessageKey,
  messagesByName,
  t,
  tPlural,
  tWithNodes,
  uiLanguage,
} from '../../src/shared/ui/i18n';
import { scopeText } from '../../src/shared/ui/scopeText';
import { formatMessage, setTestLanguage } from './helpers/i18n';
import { consentView, fakeBackground, renderWithBackground } from './ui/support';

vi.mock('webextension-polyfill', () => ({ default: {} }));

afterEach(cleanup);

describe('the test stand-in for the browser’s i18n', () => {
  it('follows the browser’s substitution rules: named placeholders in any case, $1…$9, $$, missing ones empty', () => {
    const entry = {
      message: 'Sent $COUNT$ to $server$; $$5 fee; $2 and $3.',
      placeholders: { count: { content: '$1' }, SERVER: { content: '$2' } },
    };
    expect(formatMessage(entry, ['3 batches', 'example.org'])).toBe(
      'Sent 3 batches to example.org; $5 fee; example.org and .',
    );
    // A substitution is inserted as it is: a "$1" inside it is not substituted again.
    expect(formatMessage({ message: '$1' }, ['costs $1'])).toBe('costs $1');
  });
});

describe('t', () => {
  it('fills a message’s placeholders in order', () => {
    expect(t('backendSaved', 'https://smarttags.example.org')).toBe(
      'Saved. Uploads go to https://smarttags.example.org.',
    );
    expect(t('dashboardOverviewDaysOf', '2', '30')).toBe('2 of 30');
  });

  it('shows a missing message as its key in brackets, never as nothing', () => {
    expect(t('noSuchMessage' as MessageKey)).toBe('[noSuchMessage]');
  });

  it('speaks the browser’s language, and follows it when it changes', () => {
    expect(scopeText.usage.label).toBe('Record my Instagram use');
    setTestLanguage('fr');
    expect(t('wipeOpen')).toBe('Supprimer toutes mes données');
    expect(scopeText.usage.label).toBe('Enregistrer mon utilisation d’Instagram');
    expect(messagesByName({ feed: 'dashboardSurfaceFeed' }).feed).toBe('Fil');
    expect(messagesLanguage()).toBe('fr');
  });
});

describe('tWithNodes', () => {
  it('puts elements where the message’s placeholders are, in the translation’s order', () => {
    const link = <a href="#privacy">Privacy and your data</a>;
    render(<p data-testid="line">{tWithNodes('dashboardEmptyBody', 'Record my Instagram use', link, <b>ig</b>)}</p>);
    const line = screen.getByTestId('line');
    expect(line.textContent).toBe(
      'To start, turn on “Record my Instagram use” under Privacy and your data, then open ig in this browser. ' +
        'Your time appears here within a minute of using it.',
    );
    expect(line.querySelector('a')?.getAttribute('href')).toBe('#privacy');
  });
});

describe('plurals, lists and formats', () => {
  it('picks a counted phrase by the plural rules of the messages’ language', () => {
    const batches = (count: number) => tPlural(count, 'syncStatusBatchesOne', 'syncStatusBatchesOther');
    expect([batches(0), batches(1), batches(2), batches(1234)]).toEqual([
      '0 batches',
      '1 batch',
      '2 batches',
      '1,234 batches',
    ]);
    setTestLanguage('fr');
    // French counts 0 as singular; its digit groups are separated by a narrow no-break space.
    expect([batches(0), batches(1), batches(2), batches(1234)]).toEqual([
      '0 lot',
      '1 lot',
      '2 lots',
      '1\u202F234 lots',
    ]);
  });

  it('joins a list as the messages’ language does', () => {
    expect(formatList(['A', 'B'])).toBe('A and B');
    setTestLanguage('fr');
    expect(formatList(['A', 'B'])).toBe('A et B');
  });

  it('formats numbers and durations in the browser’s UI language, even one without a translation', () => {
    setTestLanguage('en', 'de-DE');
    expect(uiLanguage()).toBe('de-DE');
    expect(messagesLanguage()).toBe('en');
    expect(formatCount(12_440)).toBe('12.440');
    expect(formatNumber(12_440)).toBe('12.440');
    setTestLanguage('fr');
    // Intl separates the parts with no-break spaces.
    expect(formatDuration(65 * 60_000).replace(/\s/g, ' ')).toBe('1 h 5 min');
  });

  it('sets a page’s language and title', () => {
    setTestLanguage('fr');
    localizeDocument('onboardingTitle');
    expect(document.documentElement.lang).toBe('fr');
    expect(document.title).toBe('Bienvenue dans smartTags');
  });
});

describe('a page in French', () => {
  let db: SmartTagsDatabase;
  beforeEach(() => {
    db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { fixtureWrites: true });
  });
  afterEach(async () => {
    await db.delete();
  });

  it('shows the welcome page, its choices and the policy in French, with no message missing', async () => {
    setTestLanguage('fr');
    renderWithBackground(
      fakeBackground(consentView({}, { decidedAt: null })),
      <Onboarding db={db} policyUpdate={false} />,
    );
    await screen.findByRole('heading', { name: 'Bienvenue dans smartTags' });
    expect((await screen.findByTestId('onboarding-decline')).textContent).toBe('Tout refuser');
    expect(screen.getByLabelText('Enregistrer mon utilisation d’Instagram')).toBeTruthy();
    // French quotation marks hold no-break spaces.
    expect(screen.getByTestId('scope-uploadAccount-needs').textContent?.replace(/\u00A0/g, ' ')).toBe(
      'Activez d’abord « Lire mon compte Instagram » et « Envoyer des données d’utilisation pseudonymes ».',
    );
    expect(screen.getByTestId('policy').textContent).toContain('Nous ne vendons pas vos données');
    expect(document.body.textContent).not.toMatch(/\[[a-z][A-Za-z0-9]*\]/);
  });
});
