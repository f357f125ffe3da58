import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');

/** The first ```sh block after a heading: the command the README tells a person to run. */
function commandUnder(heading: string): string {
  const section = readme.split(`## ${heading}`)[1];
  const command = section?.match(/```sh\n([^`]+?)\n```/)?.[1];
  if (!command) throw new Error(`README has no sh block under "## ${heading}"`);
  return command;
}

describe('README and CI', () => {
  it.each(['Set up and build (fresh machine)', 'Run all tests'])('CI runs the README command under "%s"', (heading) => {
    const command = commandUnder(heading);
    expect(ci.split('\n')).toContain(command);
  });
});
