// @vitest-environment happy-dom
/**
 * PRIVACY.md is the policy the stores link to: it must be the text the extension shows, in every language, at the
 * version people agree to.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanup, render } from '@testing-library/preact';
import { h } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { privacyMarkdown } from '../../scripts/privacy-doc';
import { latestPolicy, policyHistory } from '../../src/shared/domain/policy';
import { PolicyText } from '../../src/shared/ui/PolicyText';
import { setTestLanguage, type TestLanguage } from './helpers/i18n';

// A path, not a URL: under happy-dom the global URL is the page's, which Node's file functions do not take.
const committed = readFileSync(fileURLToPath(import.meta.resolve('../../PRIVACY.md')), 'utf8');

afterEach(cleanup);

/** PRIVACY.md with its Markdown taken out: links as their text, escapes undone. */
function plain(markdown: string): string {
  return markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\\(.)/g, '$1');
}

describe('PRIVACY.md', () => {
  it('is what the policy generates (run `npm run docs:privacy` after changing the policy or its messages)', () => {
    expect(committed).toBe(privacyMarkdown());
  });

  it.each<TestLanguage>(['en', 'fr'])(
    'holds every heading, paragraph and list item the extension shows (%s)',
    (language) => {
      setTestLanguage(language);
      const { container } = render(h(PolicyText, { headingLevel: 3 }));
      const shown = [...container.querySelectorAll('h3, p, li')].map((element) => element.textContent ?? '');
      expect(shown.length).toBeGreaterThan(20);
      const text = plain(committed);
      for (const line of shown) expect(text).toContain(line);
    },
  );

  it('states the current version and its date, and lists every version with whether it asked people again', () => {
    expect(committed).toContain(`Version ${latestPolicy().version}, published`);
    for (const { version, publishedOn, changesCollection } of policyHistory) {
      expect(committed).toContain(
        `| ${version} | ${publishedOn} | ${changesCollection ? 'yes' : 'no (wording only)'} |`,
      );
    }
  });

  it('calls the usage data that is sent pseudonymous and the server the person’s choice, as they are', () => {
    // The policy itself; the version history quotes the old words to say what changed.
    const [policy = ''] = committed.split('## Version history');
    expect(policy).not.toMatch(/\banonym/i);
    expect(policy).not.toMatch(/smartTags (service|server)|(service|serveur) smartTags/);
    expect(policy).toContain('random pseudonymous id');
  });
});
