// `npm run check:browser`: the splat op and its worker pool in a real browser (Debian's
// Chromium, headless). Serves the built package with the headers that make a page
// cross-origin isolated (SharedArrayBuffer), loads browser/page.html, which runs
// browser/worker.ts in a module worker: forward and backward on one and two threads, same bits.
// Prints the page's JSON report; exits 0 when it says ok, 1 when not, 2 when no browser is found.
// The serving is browser/serve.ts.

import { findBrowser, runPage } from './serve.js';

const browser = findBrowser();
if (!browser) {
  console.error('check:browser: no Chromium found (set CHROME, or on Debian: apt-get install chromium).');
  process.exit(2);
}

runPage(browser, 'browser/page.html', ['--headless=new', '--no-sandbox', '--disable-gpu'], 180_000)
  .catch((e: Error) => JSON.stringify({ ok: false, error: e.message }))
  .then((body) => {
    const report = JSON.parse(body) as { ok: boolean };
    console.log(JSON.stringify(report, null, 2));
    process.exitCode = report.ok ? 0 : 1;
  });
