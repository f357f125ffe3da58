/**
 * `web-ext lint` reports three warnings on the Firefox build, all inside libraries, and docs/STORE.md ("web-ext lint")
 * says why none can happen in smartTags. These tests keep that true: if a change made one real, they fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from '../../src/shared/zod';

const originalFunction = globalThis.Function;

/** Counts calls of the Function constructor (`new Function(…)` or `Function(…)`) while `run` runs. */
function functionConstructorCalls(run: () => void): number {
  let calls = 0;
  globalThis.Function = new Proxy(originalFunction, {
    construct(target, args) {
      calls += 1;
      return Reflect.construct(target, args);
    },
    apply(target, self, args) {
      calls += 1;
      return Reflect.apply(target, self, args);
    },
  });
  try {
    run();
  } finally {
    globalThis.Function = originalFunction;
  }
  return calls;
}

function parseSomeObjects(): void {
  const schema = z.object({ name: z.string(), count: z.number().int(), tags: z.array(z.string()) });
  for (let round = 0; round < 3; round += 1) schema.parse({ name: 'sourdough', count: round, tags: ['baking'] });
}

describe('DANGEROUS_EVAL (the Function constructor in zod)', () => {
  afterEach(() => {
    z.config({ jitless: true });
  });

  it('is never called: src/shared/zod.ts turns zod’s compiled validators and their probe off', () => {
    expect(functionConstructorCalls(parseSomeObjects)).toBe(0);
  });

  it('would be called without that setting, so the test above can see it', () => {
    z.config({ jitless: false });
    expect(functionConstructorCalls(parseSomeObjects)).toBeGreaterThan(0);
  });
});

function sourceFiles(directory: URL): URL[] {
  return readdirSync(directory).flatMap((name) => {
    const entry = new URL(name, directory);
    if (statSync(entry).isDirectory()) return sourceFiles(new URL(`${name}/`, directory));
    return /\.(ts|tsx)$/.test(name) ? [entry] : [];
  });
}

describe('UNSAFE_VAR_ASSIGNMENT (innerHTML in Preact)', () => {
  it('is Preact’s dangerouslySetInnerHTML, the only innerHTML it assigns', () => {
    const preact = readFileSync(new URL('../../node_modules/preact/dist/preact.mjs', import.meta.url), 'utf8');
    const assignments = [...preact.matchAll(/\.innerHTML=([^,;)]+)/g)].map((match) => match[1]);
    expect(assignments.length).toBeGreaterThan(0);
    for (const value of assignments) expect(value).toMatch(/\.__html$/);
  });

  it('is never reached: no smartTags component passes dangerouslySetInnerHTML, nor writes innerHTML itself', () => {
    for (const file of sourceFiles(new URL('../../src/', import.meta.url))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file.pathname).not.toMatch(
        /dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=/,
      );
    }
  });
});

describe('UNSAFE_VAR_ASSIGNMENT (import() in zip.js)', () => {
  it('is zip.js loading a codec from a URL, which only a configured codecURI does', () => {
    const registry = readFileSync(
      new URL('../../node_modules/@zip.js/zip.js/lib/core/codec-registry.js', import.meta.url),
      'utf8',
    );
    const imports = [...registry.matchAll(/import\(([^)]*)\)/g)].map((match) =>
      match[1]?.replace(/\/\*.*?\*\//g, '').trim(),
    );
    expect(imports).toEqual(['codecURI']);
    expect(registry).toMatch(/if \(!codecStreams\.has\(format\) && codecURI\)/);
  });

  it('is never reached: smartTags configures no codec URL', () => {
    for (const file of sourceFiles(new URL('../../src/', import.meta.url))) {
      expect(readFileSync(file, 'utf8'), file.pathname).not.toMatch(/codecURI/);
    }
  });
});
