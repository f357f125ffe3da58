/**
 * scripts/classicScript.ts, through real Vite builds of a two-file project: the entry it is given comes out as a
 * classic script (which the browser would refuse if it held `import`, `export` or `import.meta`), and a build whose
 * entry would need another chunk at run time fails instead of shipping it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, Script } from 'node:vm';
import { build, type Rolldown } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { classicScript } from '../../scripts/classicScript';

let directory: string;
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** Builds `page.ts` as the project's own entry, with `first.ts` through the plugin; the output's files by name. */
async function buildProject(files: Record<string, string>): Promise<Map<string, string>> {
  directory = mkdtempSync(join(tmpdir(), 'smarttags-classic-'));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(directory, name), source);
  const output = (await build({
    configFile: false,
    root: directory,
    logLevel: 'silent',
    plugins: [classicScript(join(directory, 'first.ts'), 'first.js')],
    build: { write: false, rollupOptions: { input: join(directory, 'page.ts') } },
  })) as Rolldown.RolldownOutput;
  return new Map(output.output.map((file) => [file.fileName, file.type === 'chunk' ? file.code : '']));
}

const shared = 'export function twice(value: number): number { return value * 2; }\n';

describe('classicScript: one entry built into a classic script', () => {
  it('emits the entry at its fixed path as a script that runs without modules, its names kept to itself', async () => {
    const files = await buildProject({
      'first.ts':
        "import { twice } from './twice';\nconst seen = twice(21);\n(globalThis as { answer?: number }).answer = seen;\n",
      'twice.ts': shared,
      'page.ts': "document.title = 'page';\n",
    });
    const code = files.get('first.js') ?? '';
    // Compiling as a classic script fails on import, export or import.meta.
    const script = new Script(code);
    const context: { answer?: number } = {};
    script.runInContext(createContext(context));
    expect(context.answer).toBe(42);
    expect(Object.keys(context)).toEqual(['answer']);
  });

  it('fails the build when the entry would import a module another chunk also imports', async () => {
    await expect(
      buildProject({
        'first.ts': "import { twice } from './twice';\n(globalThis as { answer?: number }).answer = twice(21);\n",
        'twice.ts': shared,
        'page.ts': "import { twice } from './twice';\ndocument.title = String(twice(2));\n",
      }),
    ).rejects.toThrow(/must build into a classic script/);
  });
});
