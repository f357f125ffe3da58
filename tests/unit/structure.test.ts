/**
 * The source tree's conventions (docs/ARCHITECTURE.md), checked by reading the source: what each folder may import,
 * that the content script's bundle stays free of zod, dexie and the polyfill, that the pure folders touch no browser
 * globals, that imports form no cycle, and that no two files are one module name apart only by case.
 *
 * There is no TypeScript API here, so a small reader finds the import and export-from statements after blanking
 * comments and the insides of strings. Only runtime imports count, i.e. what survives the build (checked against
 * Vite's transform, which follows tsconfig's `verbatimModuleSyntax`): `import type` and `export type` are erased, an
 * `export { type A } from` whose names are all types is erased too, and a name marked `type` inside braces is dropped.
 * But `import { type A } from 'x'` with nothing else is kept as `import 'x'` — it still loads the module, so it counts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

// ---- The reader ----

/**
 * The source with comments and the insides of strings, template texts and regular expressions turned into spaces
 * (newlines kept), so offsets still line up with the source and a word found in it is code.
 */
function blankNonCode(source: string): string {
  const out = [...source];
  const blank = (from: number, to: number) => {
    for (let index = from; index < to && index < out.length; index++) if (out[index] !== '\n') out[index] = ' ';
  };
  // A `/` after one of these (or these words) starts a regular expression; after anything else it divides.
  const beforeRegex = new Set([...'(,=:[!&|?{};+-*%<>~^']);
  const wordsBeforeRegex = new Set([
    'return',
    'typeof',
    'instanceof',
    'case',
    'do',
    'else',
    'in',
    'of',
    'new',
    'delete',
    'void',
    'throw',
    'yield',
    'await',
  ]);
  /** Brace depths at which a template literal's `${` was opened: its closing `}` resumes the template's text. */
  const templateDepths: number[] = [];
  let depth = 0;
  let previous = '';
  let previousWord = '';
  let index = 0;

  /** Template text from `from` to the closing backtick or the next `${`; returns where code resumes. */
  const templateText = (from: number): number => {
    let end = from;
    while (end < source.length && source[end] !== '`' && !(source[end] === '$' && source[end + 1] === '{')) {
      end += source[end] === '\\' ? 2 : 1;
    }
    blank(from, end);
    if (source[end] === '$') {
      templateDepths.push(depth);
      depth++;
      previous = '{';
      return end + 2;
    }
    previous = '`';
    return end + 1;
  };

  while (index < source.length) {
    const char = source[index] ?? '';
    const next = source[index + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index);
      const stop = end < 0 ? source.length : end;
      blank(index, stop);
      index = stop;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      const stop = end < 0 ? source.length : end + 2;
      blank(index, stop);
      index = stop;
    } else if (char === "'" || char === '"') {
      // A quote with no partner on its line is not a string (an apostrophe in JSX text, say): it stays code, so a
      // stray one cannot swallow the rest of the file.
      let end = index + 1;
      while (end < source.length && source[end] !== char && source[end] !== '\n') end += source[end] === '\\' ? 2 : 1;
      if (source[end] === char) {
        blank(index + 1, end);
        index = end + 1;
      } else {
        index++;
      }
      previous = char;
    } else if (char === '`') {
      index = templateText(index + 1);
    } else if (char === '/' && (beforeRegex.has(previous) || previous === '' || wordsBeforeRegex.has(previousWord))) {
      // A regular expression ends on its line; if no `/` closes it there, this was a division after all.
      let end = index + 1;
      let inClass = false;
      while (end < source.length && source[end] !== '\n' && (inClass || source[end] !== '/')) {
        if (source[end] === '[') inClass = true;
        if (source[end] === ']') inClass = false;
        end += source[end] === '\\' ? 2 : 1;
      }
      if (source[end] === '/') {
        blank(index + 1, end);
        index = end + 1;
        previous = 'a';
      } else {
        index++;
        previous = '/';
      }
      previousWord = '';
    } else if (/[\w$]/.test(char)) {
      let end = index;
      while (end < source.length && /[\w$]/.test(source[end] ?? '')) end++;
      previousWord = source.slice(index, end);
      previous = 'a';
      index = end;
    } else {
      if (char === '{') depth++;
      if (char === '}') {
        depth--;
        if (templateDepths.at(-1) === depth) {
          templateDepths.pop();
          index = templateText(index + 1);
          continue;
        }
      }
      if (!/\s/.test(char)) {
        previous = char;
        previousWord = '';
      }
      index++;
    }
  }
  return out.join('');
}

interface ImportStatement {
  /** The module specifier as written. */
  specifier: string;
  /** Whether the built code still loads the module. */
  runtime: boolean;
  /** The statement as written, on one line, for failure messages. */
  text: string;
}

/** A braced list's names: all of them marked `type` (and at least one name) means nothing but types. */
function onlyTypes(braces: string): boolean {
  const names = braces
    .slice(1, -1)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length > 0 && names.every((name) => /^type\s/.test(name));
}

const statementPatterns: { pattern: RegExp; runtime: (match: RegExpMatchArray) => boolean }[] = [
  {
    // import x from, import * as x from, import { … } from, import x, { … } from, import type … from
    pattern: /(?<![\w$.])import\s+(type\s+)?(?:([\w$]+)\s*,?\s*)?(\{[^}]*\}|\*\s*as\s+[\w$]+)?\s*from\s*(['"]) *\4/g,
    // A braced list of nothing but `type` names still loads the module: it is kept as `import 'x'`.
    runtime: ([, type]) => type === undefined,
  },
  // import 'x' (a side effect, or a stylesheet)
  { pattern: /(?<![\w$.])import\s*(['"]) *\1/g, runtime: () => true },
  // import('x'), unless it names a type (typeof import('x'))
  { pattern: /(?<![\w$.])(typeof\s+)?import\s*\(\s*(['"`]) *\2\s*\)/g, runtime: ([, type]) => type === undefined },
  {
    // export * from, export * as x from, export { … } from, export type … from
    pattern: /(?<![\w$.])export\s+(type\s+)?(\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"]) *\3/g,
    runtime: ([, type, names]) => type === undefined && !(names !== undefined && onlyTypes(names)),
  },
];

/** Every import and export-from statement (and `import()` call) in a TypeScript source. */
function readImports(source: string): ImportStatement[] {
  const code = blankNonCode(source);
  const found: (ImportStatement & { at: number })[] = [];
  for (const { pattern, runtime } of statementPatterns) {
    for (const match of code.matchAll(pattern)) {
      const at = match.index ?? 0;
      const end = at + match[0].length;
      // The specifier's insides are blank in `code`: read them from the source at the same offsets.
      const close = Math.max(...['"', "'", '`'].map((quote) => code.lastIndexOf(quote, end - 1)));
      const open = code.lastIndexOf(code[close] ?? '', close - 1);
      found.push({
        at,
        specifier: source.slice(open + 1, close),
        runtime: runtime(match),
        text: source.slice(at, end).replace(/\s+/g, ' '),
      });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...statement }) => statement);
}

/** Whether the code declares `name` itself (a variable, function, class or parameter), which hides the global. */
function declaresOwn(code: string, name: string): boolean {
  const patterns = [
    `\\b(?:const|let|var|function|class)\\s+${name}\\b`,
    // a typed first parameter: (name: T) or (name?: T)
    `\\(\\s*${name}\\s*\\??\\s*:`,
    // an arrow function's untyped parameters: name => …, (a, name) => …
    `(?<![\\w$.])${name}\\s*=>`,
    `\\(\\s*(?:[\\w$]+\\s*,\\s*)*${name}\\s*(?:,\\s*[\\w$]+\\s*)*\\)\\s*=>`,
  ];
  return patterns.some((pattern) => new RegExp(pattern).test(code));
}

/**
 * Where a global from `names` is used in code: not in a comment or string, not as a property (`x.fetch`) or a key
 * (`{ browser: … }`, a member of a type), and not in a file that declares its own (the export code's `document`
 * parameter). That last one is per file, not per scope: a regex reader cannot see scopes, so a file that names a
 * local `document` is trusted not to reach for the page's as well.
 */
function globalsUsed(source: string, names: ReadonlySet<string>): { name: string; line: number }[] {
  const code = blankNonCode(source);
  const used: { name: string; line: number }[] = [];
  for (const match of code.matchAll(/(?<![\w$])[A-Za-z_$][\w$]*/g)) {
    const name = match[0];
    if (!names.has(name) || declaresOwn(code, name)) continue;
    const at = match.index ?? 0;
    const before = code.slice(Math.max(0, at - 200), at);
    const after = code.slice(at + name.length, at + name.length + 200);
    // `x.fetch` is a property of x, but `globalThis.fetch` and `self.fetch` are the global again.
    const owner = before.match(/([\w$]*)\s*\??\.\s*$/);
    if (owner && owner[1] !== 'globalThis' && owner[1] !== 'self') continue;
    // A key in an object literal or a member of a type: `{ browser: …`, `, document?: …`, `; fetch: …`.
    if (/(?:^|[{,(;])\s*$/.test(before) && /^\s*\??\s*:(?!:)/.test(after)) continue;
    used.push({ name, line: code.slice(0, at).split('\n').length });
  }
  return used;
}

// ---- The source tree ----

interface ImportEdge extends ImportStatement {
  /** The file this import resolves to (relative to the root, `/`-separated), for a relative specifier. */
  file?: string;
  /** The package it names (`dexie`, `preact`, `@scope/name`, `node:fs`), for a bare specifier. */
  packageName?: string;
}

function exists(path: string): boolean {
  try {
    return statSync(new URL(path, root)).isFile();
  } catch {
    return false;
  }
}

function filesUnder(directory: string, skip: ReadonlySet<string> = new Set()): string[] {
  return readdirSync(new URL(directory, root), { withFileTypes: true }).flatMap((entry) => {
    const path = directory === '' ? entry.name : `${directory}${entry.name}`;
    if (skip.has(path)) return [];
    if (entry.isDirectory()) return filesUnder(`${path}/`, skip);
    return entry.isFile() ? [path] : [];
  });
}

const moduleExtension = /\.(?:tsx?|mts|cts|jsx?|mjs|cjs)$/;
const sourceFiles = filesUnder('src/').filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'));

/** TypeScript's bundler resolution, as far as this codebase uses it: extensionless, `.js` for `.ts`, or an index. */
function resolveRelative(from: string, specifier: string): string {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier.replace(/[?#].*$/, '')));
  const stem = base.replace(/\.[cm]?jsx?$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
  return candidates.find(exists) ?? base;
}

const importsOf = new Map<string, ImportEdge[]>(
  sourceFiles.map((file) => {
    const edges = readImports(readFileSync(new URL(file, root), 'utf8')).map((statement): ImportEdge => {
      if (statement.specifier.startsWith('.'))
        return { ...statement, file: resolveRelative(file, statement.specifier) };
      const [first = '', second = ''] = statement.specifier.split('/');
      return { ...statement, packageName: first.startsWith('@') ? `${first}/${second}` : first };
    });
    return [file, edges];
  }),
);

function runtimeImports(file: string): ImportEdge[] {
  return (importsOf.get(file) ?? []).filter((edge) => edge.runtime);
}

// ---- What may import what ----

const zodModule = 'src/shared/zod.ts';
const sharedFolders = ['src/shared/domain/', 'src/shared/storage/', 'src/shared/contracts/', 'src/shared/text/'];
const inShared = (file: string, except: readonly string[] = []) =>
  file.startsWith('src/shared/') && !except.some((folder) => file.startsWith(folder));
const inAny = (file: string, places: readonly string[]) =>
  places.some((place) => (place.endsWith('/') ? file.startsWith(place) : file === place));

interface FolderRule {
  /** A folder (ending in `/`) or one file. */
  folder: string;
  /** The rule in one sentence: the test's name, the failure's explanation, and the line for docs/ARCHITECTURE.md. */
  rule: string;
  /** Source files it may import (besides its own folder's). */
  files: (file: string) => boolean;
  /** Packages it may import. */
  packages: (name: string) => boolean;
}

const anyPackage = () => true;
const noPackage = () => false;

const folderRules: FolderRule[] = [
  {
    folder: 'src/shared/domain/',
    rule: 'src/shared/domain/ (pure logic) imports only itself and src/shared/zod.ts: no package, no storage, no contract',
    files: (file) => file === zodModule,
    packages: noPackage,
  },
  {
    folder: 'src/shared/storage/',
    rule: 'src/shared/storage/ imports only itself, src/shared/domain/, src/shared/zod.ts and dexie',
    files: (file) => inAny(file, ['src/shared/domain/', zodModule]),
    packages: (name) => name === 'dexie',
  },
  {
    folder: 'src/shared/contracts/',
    rule: 'src/shared/contracts/ imports only itself, src/shared/domain/, src/shared/storage/ and src/shared/zod.ts, and no package',
    files: (file) => inAny(file, ['src/shared/domain/', 'src/shared/storage/', zodModule]),
    packages: noPackage,
  },
  {
    folder: 'src/shared/text/',
    rule: 'src/shared/text/ imports nothing else from src (the background, pages and ui/ all build on it)',
    files: () => false,
    packages: anyPackage,
  },
  {
    folder: 'src/shared/ui/',
    rule: 'src/shared/ui/ imports only from src/shared/, never from the background, the content script or a page',
    files: (file) => inShared(file),
    packages: anyPackage,
  },
  {
    folder: zodModule,
    rule: 'src/shared/zod.ts imports nothing from src (it configures zod before any schema is built)',
    files: () => false,
    packages: anyPackage,
  },
  {
    folder: 'src/content/',
    rule: 'src/content/ imports only itself and src/shared/domain/ (types from elsewhere are fine: they are erased)',
    files: (file) => file.startsWith('src/shared/domain/'),
    packages: anyPackage,
  },
  {
    folder: 'src/background/',
    rule: 'src/background/ imports itself and anything in src/shared/ except src/shared/ui/, never a page or the content script',
    files: (file) => inShared(file, ['src/shared/ui/']),
    packages: anyPackage,
  },
  ...['src/popup/', 'src/options/', 'src/onboarding/'].map(
    (folder): FolderRule => ({
      folder,
      rule: `${folder} imports only itself and src/shared/, never src/background/, the content script or another page`,
      files: (file) => inShared(file),
      packages: anyPackage,
    }),
  ),
];

/** The rule of the most specific folder holding the file. */
function ruleFor(file: string): FolderRule | undefined {
  return folderRules
    .filter((rule) => inAny(file, [rule.folder]))
    .sort((a, b) => b.folder.length - a.folder.length)
    .at(0);
}

describe('the import reader', () => {
  const read = (source: string) => readImports(source).map(({ specifier, runtime }) => [specifier, runtime]);

  it('tells runtime imports from erased ones', () => {
    const source = [
      "import type { A } from './typeOnly';",
      "import { type B, c } from './mixed';",
      "import { type D } from './keptAsSideEffect';",
      "import {\n  e,\n  type F,\n} from './multiLine';",
      "import g, { h } from './defaultAndNamed';",
      "import * as i from 'a-package';",
      "import './style.css';",
      "export type { J } from './exportedType';",
      "export { type K } from './exportedInlineTypes';",
      "export { l, type M } from './reExported';",
      "export * from './everything';",
      "export type * from './everyType';",
      "const n = () => import('./dynamic');",
      "type O = typeof import('./typeOfDynamic');",
    ].join('\n');
    expect(read(source)).toEqual([
      ['./typeOnly', false],
      ['./mixed', true],
      ['./keptAsSideEffect', true],
      ['./multiLine', true],
      ['./defaultAndNamed', true],
      ['a-package', true],
      ['./style.css', true],
      ['./exportedType', false],
      ['./exportedInlineTypes', false],
      ['./reExported', true],
      ['./everything', true],
      ['./everyType', false],
      ['./dynamic', true],
      ['./typeOfDynamic', false],
    ]);
  });

  it('ignores comments, strings, templates and regular expressions that look like imports', () => {
    const source = [
      "// import { a } from './lineComment';",
      "/* import { b } from './blockComment'; */",
      'const c = "import { d } from \'./string\'";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test has a template literal
      'const e = `import { f } from ${"./template"}`;',
      "const g = /import { h } from '.\\/regex'/;",
      "const apostrophe = <p>Don't</p>;",
      "import { real } from './real';",
    ].join('\n');
    expect(read(source)).toEqual([['./real', true]]);
  });

  it('finds browser globals in code, not in comments, strings or properties', () => {
    const names = new Set(['window', 'fetch', 'document']);
    const source = [
      '// window in a comment',
      "const a = 'window in a string';",
      'const b = options.fetch;',
      'const c = window.innerWidth;',
      'const d = globalThis.fetch;',
      'const e = /document/.test(a);',
      'const f = { fetch: 1, window };',
      'type G = { window?: number; fetch: () => void };',
      'const h = a ? window : b;',
    ].join('\n');
    expect(globalsUsed(source, names)).toEqual([
      { name: 'window', line: 4 },
      { name: 'fetch', line: 5 },
      { name: 'window', line: 7 },
      { name: 'window', line: 9 },
    ]);
  });

  it("takes a file's own declaration of a name for the one it uses", () => {
    const names = new Set(['document', 'location', 'browser']);
    const source = [
      'export function rows(document: Doc) { return document.days; }',
      'const refine = (location, context) => location.length;',
      'const browser = detect();',
    ].join('\n');
    expect(globalsUsed(source, names)).toEqual([]);
  });

  it('resolves every relative import in src to a file (so no edge of the graph is missed)', () => {
    const unresolved = [...importsOf].flatMap(([file, edges]) =>
      edges.filter((edge) => edge.file !== undefined && !exists(edge.file)).map((edge) => `${file}: ${edge.text}`),
    );
    expect(unresolved).toEqual([]);
  });
});

describe('the content script', () => {
  it('bundles no zod, dexie or webextension-polyfill: nothing src/content/index.ts loads at runtime reaches them', () => {
    const forbidden = new Set(['zod', 'dexie', 'webextension-polyfill']);
    const start = 'src/content/index.ts';
    const reachedFrom = new Map<string, string | undefined>([[start, undefined]]);
    const chain = (file: string): string => {
      const parent = reachedFrom.get(file);
      return parent === undefined ? file : `${chain(parent)} → ${file}`;
    };
    const problems: string[] = [];
    const queue = [start];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      for (const edge of runtimeImports(file)) {
        if ((edge.packageName && forbidden.has(edge.packageName)) || edge.file === zodModule) {
          problems.push(`${chain(file)}: ${edge.text}`);
        }
        if (edge.file && moduleExtension.test(edge.file) && !reachedFrom.has(edge.file)) {
          reachedFrom.set(edge.file, file);
          queue.push(edge.file);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the pure folders', () => {
  const browserGlobals = new Set([
    'chrome',
    'browser',
    'window',
    'document',
    'navigator',
    'location',
    'localStorage',
    'sessionStorage',
    'indexedDB',
    'fetch',
  ]);
  const pureFiles = sourceFiles.filter((file) => inAny(file, ['src/shared/domain/', 'src/shared/contracts/']));

  it('exist where expected (so the next test checks something)', () => {
    expect(pureFiles.length).toBeGreaterThan(5);
  });

  it('src/shared/domain/ and src/shared/contracts/ use no browser global (chrome, browser, window, document, …)', () => {
    const uses = pureFiles.flatMap((file) =>
      globalsUsed(readFileSync(new URL(file, root), 'utf8'), browserGlobals).map(
        ({ name, line }) => `${file}:${line}: ${name}`,
      ),
    );
    expect(uses).toEqual([]);
  });
});

describe('imports between src files', () => {
  it('form no cycle (runtime imports)', () => {
    // Tarjan's strongly connected components: every component of more than one file (or a file importing itself)
    // holds a cycle.
    const edgesOf = (file: string) =>
      runtimeImports(file).filter((edge): edge is ImportEdge & { file: string } => edge.file !== undefined);
    const indexOf = new Map<string, number>();
    const lowOf = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const components: string[][] = [];
    const visit = (file: string) => {
      indexOf.set(file, indexOf.size);
      lowOf.set(file, indexOf.size - 1);
      stack.push(file);
      onStack.add(file);
      for (const { file: next } of edgesOf(file)) {
        if (!importsOf.has(next)) continue;
        if (!indexOf.has(next)) {
          visit(next);
          lowOf.set(file, Math.min(lowOf.get(file) ?? 0, lowOf.get(next) ?? 0));
        } else if (onStack.has(next)) {
          lowOf.set(file, Math.min(lowOf.get(file) ?? 0, indexOf.get(next) ?? 0));
        }
      }
      if (lowOf.get(file) !== indexOf.get(file)) return;
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === file) break;
      }
      const selfImport = edgesOf(file).some((edge) => edge.file === file);
      if (component.length > 1 || selfImport) components.push(component);
    };
    for (const file of sourceFiles) if (!indexOf.has(file)) visit(file);

    // One concrete cycle per component, found breadth-first from its first file back to it, with the imports taken.
    const cycles = components.map((component) => {
      const members = new Set(component);
      const first = [...component].sort()[0] ?? '';
      const cameBy = new Map<string, { from: string; text: string }>();
      const queue = [first];
      search: for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        for (const edge of edgesOf(file)) {
          if (!members.has(edge.file) || cameBy.has(edge.file)) continue;
          cameBy.set(edge.file, { from: file, text: edge.text });
          if (edge.file === first) break search;
          queue.push(edge.file);
        }
      }
      const steps: string[] = [];
      let at = first;
      do {
        const step = cameBy.get(at);
        if (!step) break;
        steps.unshift(`${step.from} (${step.text})`);
        at = step.from;
      } while (at !== first);
      return `${steps.join(' → ')} → ${first}`;
    });
    expect(cycles).toEqual([]);
  });

  it('every src file falls under one of the folder rules below', () => {
    expect(sourceFiles.filter((file) => ruleFor(file) === undefined)).toEqual([]);
  });

  it.each(folderRules.map((rule) => [rule.rule, rule]))('%s', (_name, rule) => {
    const violations = sourceFiles
      .filter((file) => ruleFor(file) === rule)
      .flatMap((file) =>
        runtimeImports(file)
          .filter((edge) => {
            if (edge.packageName !== undefined) return !rule.packages(edge.packageName);
            const target = edge.file ?? '';
            const ownFolder = rule.folder.endsWith('/') ? target.startsWith(rule.folder) : target === rule.folder;
            return !ownFolder && !rule.files(target);
          })
          .map((edge) => `${file}: ${edge.text}`),
      );
    expect(violations, rule.rule).toEqual([]);
  });

  it('the folder rules cover each part of src/shared/ (keep this list and the rules together)', () => {
    for (const folder of sharedFolders) expect(folderRules.map((rule) => rule.folder)).toContain(folder);
  });
});

describe('file names', () => {
  it('no two files are the same module name but for case (or .ts beside .tsx)', () => {
    // On a case-insensitive disk (macOS, Windows) `./today` and `./Today` are one file, and which one an import gets
    // depends on the machine: every path is compared in lower case, a module's without its extension.
    const skip = new Set(['node_modules', 'dist', 'artifacts', '.git']);
    const byKey = new Map<string, string[]>();
    for (const file of filesUnder('', skip)) {
      const key = file.replace(moduleExtension, '').toLowerCase();
      byKey.set(key, [...(byKey.get(key) ?? []), file]);
    }
    const collisions = [...byKey.values()].filter((files) => files.length > 1).map((files) => files.join(' and '));
    expect(collisions).toEqual([]);
  });
});
