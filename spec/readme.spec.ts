// The README's library example must run exactly as written, through the package's own exports.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);

describe('README', () => {
  it('its library example runs as written and its gradcheck passes', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = readme.slice(readme.indexOf('## A first program'));
    const match = /```js\n([\s\S]*?)```/.exec(section);
    expect(match, 'README has a js example under "A first program"').to.not.equal(null);
    // inside the package folder, so `import 'splatgrad'` resolves through package.json "exports"
    const dir = mkdtempSync(join(new URL('dist/', root).pathname, 'readme-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, match![1]);
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
      expect(out).to.match(/gradcheck passed/);
      // y = sum((x w + 1)^2) at x = [[1,2,3],[4,5,6]], w = [0.5,-1,2]: 2.25+1+49+9+16+169
      expect(out.split('\n')[0]).to.match(/^246\.25 /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the two set-up commands', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme).to.contain('npm ci && npm start');
    expect(readme).to.contain('npm test');
  });
});
