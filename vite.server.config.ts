/**
 * The reference server built to plain JavaScript (`npm run build:server` → dist/server/): its three commands as ES
 * modules for Node, with every package left to be imported from node_modules at run time, so a deployment needs only
 * `npm ci --omit=dev` and `node dist/server/main.mjs` — no tsx, no TypeScript (docs/SERVER.md, "Deploy").
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    // The extension's public files (icons, locales) are not the server's.
    copyPublicDir: false,
    outDir: 'dist/server',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: { main: 'server/main.ts', migrate: 'server/migrate.ts', admin: 'server/admin.ts' },
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
});
