/**
 * `npm run docs:privacy`: writes PRIVACY.md, the privacy policy the stores link to, from the very component the
 * extension shows it with (src/shared/ui/PolicyText.tsx: the version line, the introduction, the sections of
 * src/shared/ui/policySections.ts, the contact) in every shipped language, looked up in public/_locales as the
 * browser would, followed by the version history of src/shared/domain/policy.ts. tests/unit/privacyDoc.test.ts fails
 * until this has been run after a change to any of them.
 *
 * The component is rendered to Markdown by walking the elements it returns (no DOM): headings, paragraphs, lists,
 * links and plain text are all it uses, and anything else fails loudly rather than being dropped.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ComponentChildren, Fragment, h, type VNode } from 'preact';
import { policyHistory } from '../src/shared/domain/policy';
import { PolicyText } from '../src/shared/ui/PolicyText';
import { installFakeI18n, setTestLanguage, type TestLanguage } from '../tests/unit/helpers/i18n';

/** The languages the policy ships in, with the heading and anchor each gets in PRIVACY.md. */
const languages: ReadonlyArray<{ code: TestLanguage; heading: string }> = [
  { code: 'en', heading: 'English' },
  { code: 'fr', heading: 'Français' },
];

/** Markdown's own characters, escaped where they appear in the policy's text. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (character) => `\\${character}`);
}

/** The text of an element's children: inline elements (links, times) become Markdown inline. */
function inline(children: ComponentChildren): string {
  if (children === null || children === undefined || typeof children === 'boolean') return '';
  if (typeof children === 'string' || typeof children === 'number') return escapeText(String(children));
  if (Array.isArray(children)) return children.map((child) => inline(child)).join('');
  const node = children as VNode<{ children?: ComponentChildren; href?: string }>;
  if (typeof node.type === 'function') return inline(render(node));
  if (node.type === 'time' || node.type === 'strong') return inline(node.props.children);
  if (node.type === 'a') return `[${inline(node.props.children)}](${node.props.href ?? ''})`;
  throw new Error(`PRIVACY.md has no inline form for <${String(node.type)}>`);
}

/** What a component or fragment renders to. */
function render(node: VNode): ComponentChildren {
  const component = node.type as (props: object) => ComponentChildren;
  return node.type === Fragment ? (node.props as { children?: ComponentChildren }).children : component(node.props);
}

/** Block elements as Markdown blocks, in order. */
function blocks(children: ComponentChildren): string[] {
  if (children === null || children === undefined || typeof children === 'boolean') return [];
  if (Array.isArray(children)) return children.flatMap((child) => blocks(child));
  if (typeof children === 'string' || typeof children === 'number') {
    throw new Error(`Text outside a paragraph: "${String(children)}"`);
  }
  const node = children as VNode<{ children?: ComponentChildren }>;
  if (typeof node.type === 'function') return blocks(render(node));
  const { type } = node;
  const heading = /^h([1-6])$/.exec(String(type))?.[1];
  if (heading) return [`${'#'.repeat(Number(heading))} ${inline(node.props.children)}`];
  if (type === 'p') return [inline(node.props.children)];
  if (type === 'ul') {
    const items = ([] as ComponentChildren[]).concat(node.props.children);
    return [
      items.map((item) => `- ${inline((item as VNode<{ children?: ComponentChildren }>).props.children)}`).join('\n'),
    ];
  }
  if (type === 'div' || type === 'section') return blocks(node.props.children);
  throw new Error(`PRIVACY.md has no block form for <${String(type)}>`);
}

function versionHistory(): string {
  const rows = policyHistory.map(
    ({ version, publishedOn, changesCollection, summary }) =>
      `| ${version} | ${publishedOn} | ${changesCollection ? 'yes' : 'no (wording only)'} | ${escapeText(summary)} |`,
  );
  return [
    '| Version | Published | Changes what is collected or sent (asks people to agree again) | What changed |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * PRIVACY.md's text: the policy in each language as the extension shows it, then the version history. Needs the
 * browser's `i18n` stand-in on the `chrome` global (tests/unit/helpers/i18n.ts, which the unit tests install);
 * leaves it in English.
 */
export function privacyMarkdown(): string {
  const parts = [
    '# smartTags privacy policy',
    '<!-- Written by `npm run docs:privacy` from what the extension shows (src/shared/ui/PolicyText.tsx, src/shared/ui/policySections.ts, src/shared/domain/policy.ts, public/_locales). Do not edit by hand. -->',
    languages.map(({ heading }) => `[${heading}](#${heading.toLowerCase()})`).join(' · '),
  ];
  try {
    for (const { code, heading } of languages) {
      setTestLanguage(code);
      parts.push(`## ${heading}`, ...blocks(h(PolicyText, { headingLevel: 3 })));
    }
  } finally {
    setTestLanguage('en');
  }
  parts.push('## Version history', versionHistory());
  return `${parts.join('\n\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  installFakeI18n();
  const path = fileURLToPath(new URL('../PRIVACY.md', import.meta.url));
  writeFileSync(path, privacyMarkdown());
  process.stdout.write(`wrote ${path}\n`);
}
