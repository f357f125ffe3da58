/**
 * `npm run openapi`: writes docs/openapi.json from the zod schemas (server/openapi-document.ts), then formats it with
 * Biome so `biome check` accepts the generated file as it is.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from './openapi-document';

const path = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
writeFileSync(path, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
execFileSync('npx', ['biome', 'format', '--write', path], { stdio: 'inherit' });
process.stdout.write(`wrote ${path}\n`);
