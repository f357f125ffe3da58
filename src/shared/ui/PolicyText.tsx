import { latestPolicy, privacyContact } from '../policy';
import { contactHeading, contactLead, policyIntro, policySections } from './policyText';

const text = {
  meta: (version: number) => `Version ${version}, published `,
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' });

/** A policy date (YYYY-MM-DD) as the person's locale writes it. */
export function formatPolicyDate(date: string): string {
  return dateFormat.format(Date.parse(`${date}T00:00:00Z`));
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
        {text.meta(policy.version)}
        <time dateTime={policy.publishedOn}>{formatPolicyDate(policy.publishedOn)}</time>.
      </p>
      <p>{policyIntro}</p>
      {policySections.map((section) => (
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
        <Heading>{contactHeading}</Heading>
        <p>
          {contactLead}
          <a href={`mailto:${privacyContact}`}>{privacyContact}</a>.
        </p>
      </section>
    </div>
  );
}
