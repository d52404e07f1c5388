import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The same CSP as index.html's meta tag, also sent as a header so it covers the worker
 * (a dedicated worker takes its policy from its own response, not from the page).
 */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const securityHeaders = {
  'Content-Security-Policy': csp,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Puts the CSP into the built page as a meta tag too, so a static deployment without our
 * headers still keeps every byte in the browser. Build only: the dev server's React refresh
 * preamble is an inline script that this policy (rightly) blocks.
 */
function cspMeta(): Plugin {
  return {
    name: 'interest-lens-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: csp },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  plugins: [react(), cspMeta()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, assetsInlineLimit: 0 },
  preview: { headers: securityHeaders, port: 4173, strictPort: false },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
