// `npm run check:browser`: the splat op and its worker pool in a real browser (Debian's
// Chromium, headless). Serves the built package with the headers that make a page
// cross-origin isolated (SharedArrayBuffer), loads browser/page.html, which runs
// browser/worker.ts in a module worker: forward and backward on one and two threads, same bits.
// Prints the page's JSON report; exits 0 when it says ok, 1 when not, 2 when no browser is found.
//
// The package's two CommonJS dependencies (ndarray, kd-tree-javascript) are served wrapped as
// ES modules, and bare imports of them rewritten to those wrappers: what a bundler would do.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = normalize(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
const require = createRequire(join(root, 'package.json'));
const BARE = ['ndarray', 'kd-tree-javascript'];

/** A CommonJS package as an ES module: its requires become imports of other wrappers. */
function wrapCommonJs(name: string): string {
  const file = require.resolve(name);
  const source = readFileSync(file, 'utf8');
  const deps = [...new Set([...source.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))];
  return [
    ...deps.map((d, i) => `import __dep${i} from '/shim/${d}.js';`),
    'const module = { exports: {} };',
    'const exports = module.exports;',
    `const require = (name) => ({ ${deps.map((d, i) => `${JSON.stringify(d)}: __dep${i}`).join(', ')} })[name];`,
    `(function () {\n${source}\n}).call(exports);`,
    'export default module.exports;',
  ].join('\n');
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };

function findBrowser(): string | null {
  for (const path of [process.env.CHROME, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (path && existsSync(path)) return path;
  }
  return null;
}

const browser = findBrowser();
if (!browser) {
  console.error('check:browser: no Chromium found (set CHROME, or on Debian: apt-get install chromium).');
  process.exit(2);
}

let finish: (report: string) => void = () => {};
const reported = new Promise<string>((resolve) => (finish = resolve));

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
  if (url.pathname === '/result' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(204, headers).end();
      finish(body);
    });
    return;
  }
  try {
    let text: string;
    if (url.pathname.startsWith('/shim/')) {
      text = wrapCommonJs(url.pathname.slice('/shim/'.length, -'.js'.length));
    } else {
      const path = normalize(join(root, url.pathname));
      if (!path.startsWith(root)) throw new Error('outside the package');
      text = readFileSync(path, 'utf8');
      if (path.endsWith('.js')) for (const name of BARE) text = text.replaceAll(`from '${name}'`, `from '/shim/${name}.js'`);
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(url.pathname)] ?? 'text/plain' }).end(text);
  } catch {
    res.writeHead(404, headers).end();
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const chrome = spawn(browser, ['--headless=new', '--no-sandbox', '--disable-gpu', `--user-data-dir=${join(root, 'out', 'chromium-profile')}`, `http://127.0.0.1:${port}/browser/page.html`], {
    stdio: 'ignore',
  });
  const timer = setTimeout(() => finish(JSON.stringify({ ok: false, error: 'no report from the page within 180 s' })), 180_000);
  reported.then((body) => {
    clearTimeout(timer);
    chrome.kill();
    server.close();
    const report = JSON.parse(body) as { ok: boolean };
    console.log(JSON.stringify(report, null, 2));
    process.exitCode = report.ok ? 0 : 1;
  });
});
