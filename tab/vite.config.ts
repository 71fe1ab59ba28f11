import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Builds the Teams tab into tab/dist, which the Express API serves at `/`. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
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
