/**
 * `npm run docs:messages`: writes docs/MESSAGES.md's catalogue table from the message catalogue
 * (src/shared/contracts/messages.ts) and its prose (src/shared/contracts/messageDocs.ts), between the markers the page
 * keeps, leaving the rest of the page as it is. tests/unit/messageDocs.test.ts fails until this has been run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withCatalogueTable } from '../src/shared/contracts/messageDocs';

const path = fileURLToPath(new URL('../docs/MESSAGES.md', import.meta.url));
writeFileSync(path, withCatalogueTable(readFileSync(path, 'utf8')));
process.stdout.write(`wrote ${path}\n`);
