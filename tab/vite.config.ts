import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import ts from 'typescript';
import { parse } from '@formatjs/icu-messageformat-parser';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The tab's message catalogues, one module a language (tab/src/i18n/messages/<language>.ts). */
const MESSAGES = /[\\/]src[\\/]i18n[\\/]messages[\\/][a-z]{2,3}\.ts$/;

/**
 * Compiles the message catalogues to ICU message ASTs at build time, so the tab ships react-intl
 * without its message parser (aliased to `no-parser` below, about 7 KiB gzip less in the first
 * download) and a message with broken ICU syntax fails the build rather than the page. Each
 * catalogue exports plain objects of strings (types are erased here).
 */
function precompiledMessages(): Plugin {
  return {
    name: 'coaching-pilots:precompiled-messages',
    enforce: 'pre',
    transform(code, id) {
      if (!MESSAGES.test(id)) return null;
      const js = ts.transpileModule(code, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const exports: Record<string, unknown> = {};
      new Function('exports', 'require', js)(exports, (name: string) => {
        throw new Error(`${id}: message catalogues import nothing at run time (found ${name})`);
      });
      const out: string[] = [];
      for (const [name, catalogue] of Object.entries(exports)) {
        if (!catalogue || typeof catalogue !== 'object') throw new Error(`${id}: export ${name} is not a catalogue`);
        const compiled: Record<string, unknown> = {};
        for (const [key, message] of Object.entries(catalogue)) {
          if (typeof message !== 'string') throw new Error(`${id}: ${key} is not a string`);
          try {
            compiled[key] = parse(message);
          } catch (error) {
            throw new Error(`${id}: message ${key} is not valid ICU MessageFormat: ${String(error)}`);
          }
        }
        out.push(`export const ${name} = ${JSON.stringify(compiled)};`);
      }
      return { code: out.join('\n'), map: null };
    },
  };
}

/** Builds the Teams tab into tab/dist, which the Express API serves at `/`. */
export default defineConfig({
  root,
  base: '/',
  plugins: [precompiledMessages(), react()],
  resolve: {
    // Every message arrives precompiled (above), so the parser is never called.
    alias: [{ find: /^@formatjs\/icu-messageformat-parser$/, replacement: '@formatjs/icu-messageformat-parser/no-parser.js' }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Teams runs the tab in Chromium-based Edge/WebView2 or Safari, which support modulepreload:
    // the polyfill would only be one more request before the first render.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The tab itself plus the two pages of the Teams consent pop-up.
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        authStart: fileURLToPath(new URL('./auth-start.html', import.meta.url)),
        authEnd: fileURLToPath(new URL('./auth-end.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3978' },
  },
});
