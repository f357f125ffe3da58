/**
 * A Vite plugin that builds one TypeScript entry into a classic script (not a module) at a fixed path, for an HTML
 * page to load with `<script src="…" vite-ignore>` ahead of its stylesheets.
 *
 * Why: a module script (Vite's only kind) is deferred, and a deferred script waits for the page's stylesheets before
 * it runs. A classic script placed before them runs as soon as it is fetched, in parallel with the stylesheets' loads.
 * The popup's first paint (src/popup/start.ts) starts its IndexedDB read that way (docs/BENCHMARKS.md has the figures).
 *
 * The entry is emitted as a chunk of the same build, wrapped in a function so its top-level names stay out of the
 * page's global scope. A classic script cannot import or export, nor use `import.meta`: the build fails if the chunk
 * does any of that (for instance because a module it imports is shared with another chunk), rather than shipping a
 * script the browser would refuse.
 */
import type { Plugin } from 'vite';

export function classicScript(entry: string, fileName: string): Plugin {
  return {
    name: 'smarttags:classic-script',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: entry, fileName });
    },
    renderChunk(code, chunk) {
      if (chunk.fileName !== fileName) return null;
      const problems = [
        ...chunk.imports.map((name) => `imports ${name}`),
        ...chunk.dynamicImports.map((name) => `imports ${name} at run time`),
        ...chunk.exports.map((name) => `exports ${name}`),
        ...(code.includes('import.meta') ? ['uses import.meta'] : []),
      ];
      if (problems.length > 0) {
        this.error(
          `${entry} must build into a classic script (${fileName}), but it ${problems.join(', ')}: ` +
            'it may import only modules that no other chunk imports, and load nothing at run time.',
        );
      }
      return { code: `(function () {\n${code}\n})();\n`, map: null };
    },
  };
}
