/**
 * Records every request the page (and its worker) makes, from three vantage points, and every
 * attempt the Content-Security-Policy blocked, so a spec can assert that nothing left the
 * page's origin.
 */
import type { BrowserContext, Page } from '@playwright/test';

/** Schemes that never leave the browser. */
const LOCAL_SCHEMES = new Set(['blob:', 'data:']);

export interface SeenRequest {
  url: string;
  type: string;
  from: string;
}

export interface RequestRecorder {
  /** Every request seen so far. */
  seen: SeenRequest[];
  /** Console lines of attempts the Content-Security-Policy blocked. */
  violations: string[];
  /** Requests to an origin other than `origin` (local schemes aside). */
  foreign(origin: string): SeenRequest[];
}

/**
 * Starts recording. Call before the first navigation: the CSP-violation listener is an init
 * script. The context's events cover the worker in Chromium; the route sees what the network
 * stack would fetch; a request the CSP blocks is never made, so it shows as a violation.
 */
export async function recordRequests(
  context: BrowserContext,
  page: Page,
): Promise<RequestRecorder> {
  const seen: SeenRequest[] = [];
  const violations: string[] = [];
  context.on('request', (r) =>
    seen.push({ url: r.url(), type: r.resourceType(), from: 'context' }),
  );
  page.on('request', (r) => seen.push({ url: r.url(), type: r.resourceType(), from: 'page' }));
  await context.route('**/*', (route) => {
    seen.push({ url: route.request().url(), type: route.request().resourceType(), from: 'route' });
    return route.continue();
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (connect|load)/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.blockedURI}`);
    });
  });
  return {
    seen,
    violations,
    foreign: (origin) =>
      seen.filter((r) => {
        const url = new URL(r.url);
        return !LOCAL_SCHEMES.has(url.protocol) && url.origin !== origin;
      }),
  };
}
