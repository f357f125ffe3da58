import { latestPolicy, privacyContact } from '../domain/policy';
import { cachedFormat, t, tWithNodes, uiLanguage } from './i18n';
import { policySections } from './policySections';

/** A policy date (YYYY-MM-DD) as the person's language writes it. */
export function formatPolicyDate(date: string): string {
  return cachedFormat(
    uiLanguage(),
    'policy-date',
    (language) => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }),
  ).format(Date.parse(`${date}T00:00:00Z`));
}

interface Props {
  /** The level of the policy's section headings, so it fits under the page's own headings. */
  headingLevel: 3 | 4;
}

/** The privacy policy, current version. */
export function PolicyText({ headingLevel }: Props) {
  const policy = latestPolicy();
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div class="policy-text">
      <p class="policy-meta">
        {tWithNodes(
          'policyMeta',
          String(policy.version),
          <time dateTime={policy.publishedOn}>{formatPolicyDate(policy.publishedOn)}</time>,
        )}
      </p>
      <p>{t('policyIntro')}</p>
      {policySections().map((section) => (
        <section key={section.heading}>
          <Heading>{section.heading}</Heading>
          {section.blocks.map((block) =>
            typeof block === 'string' ? (
              <p key={block}>{block}</p>
            ) : (
              <ul key={block.join()}>
                {block.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            ),
          )}
        </section>
      ))}
      <section>
        <Heading>{t('policyContactHeading')}</Heading>
        <p>{tWithNodes('policyContact', <a href={`mailto:${privacyContact}`}>{privacyContact}</a>)}</p>
      </section>
    </div>
  );
}
