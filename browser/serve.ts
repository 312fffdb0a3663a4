// What the browser checks share (check.ts, checkWebgpu.ts): finding Debian's Chromium, serving the
// built package to it with the headers that make a page cross-origin isolated (SharedArrayBuffer),
// and running one page in headless Chromium until it POSTs its report to /result.
//
// The package's two CommonJS dependencies (ndarray, kd-tree-javascript) are served wrapped as
// ES modules, and bare imports of them rewritten to those wrappers: what a bundler would do.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = normalize(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
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

/** Chromium's path ($CHROME, then Debian's and the usual names), or null. */
export function findBrowser(): string | null {
  for (const path of [process.env.CHROME, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (path && existsSync(path)) return path;
  }
  return null;
}

/**
 * Serves the package, opens `page` (a path under the package root) in `browser` with `flags`
 * (and a fresh profile), and resolves with the body the page POSTs to /result, or rejects when
 * none comes within `timeoutMs` or the browser exits first. The browser and server are stopped either way.
 */
export function runPage(browser: string, page: string, flags: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    const profile = mkdtempSync(join(tmpdir(), 'splatgrad-chromium-'));
    let chrome: ReturnType<typeof spawn> | null = null;
    let settled = false;
    const finish = (error: Error | null, body = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chrome?.kill();
      server.close();
      setTimeout(() => rmSync(profile, { recursive: true, force: true }), 500);
      if (error) reject(error);
      else resolve(body);
    };
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/result' && req.method === 'POST') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          res.writeHead(204, headers).end();
          finish(null, body);
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
    const timer = setTimeout(() => finish(new Error(`no report from ${page} within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      chrome = spawn(browser, [...flags, `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/${page}`], { stdio: 'ignore' });
      chrome.on('error', (e) => finish(e));
      chrome.on('exit', (code) => setTimeout(() => finish(new Error(`the browser exited (code ${code}) before ${page} reported`)), 1000));
    });
  });
}
