import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogueTable, withCatalogueTable } from '../../src/shared/contracts/messageDocs';
import { messageTypes } from '../../src/shared/contracts/messages';

const committed = readFileSync(new URL('../../docs/MESSAGES.md', import.meta.url), 'utf8');

describe('docs/MESSAGES.md', () => {
  it('has the catalogue table the messages generate (run `npm run docs:messages` after changing a message)', () => {
    expect(committed).toBe(withCatalogueTable(committed));
  });

  it('lists every catalogued message once, in catalogue order', () => {
    const rowTypes = [...catalogueTable().matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
    expect(rowTypes).toEqual(messageTypes);
  });

  it('keeps each row one table row: a | in the prose is escaped', () => {
    const rows = catalogueTable().split('\n').slice(2);
    // Five cells: a row splits into seven parts on its unescaped bars, the outer two empty.
    for (const row of rows) expect(row.split(/(?<!\\)\|/), row).toHaveLength(7);
  });

  it('refuses to write into a page without the markers, rather than guessing where the table goes', () => {
    expect(() => withCatalogueTable('# Messages\n')).toThrow(/markers/);
  });
});
