// The code cites its math as `docs/<page>.md §N` and `eq. N`: every citation must land on a
// section and an equation label that exist in the repository's own docs/, and nothing may point
// at files outside the repository.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.git', 'out', 'coverage']);

/** The page a folder's uncited `eq. N` refers to: each method's code cites its own page. */
const FOLDER_PAGE: [string, string][] = [
  ['ops/splat', 'dss'],
  ['ops/regularizers', 'dss'],
  ['ops/losses', 'dss'],
  ['ops/metaballs', 'fm'],
  ['ops/sphereTracing', 'dist'],
  ['ops/silhouette', 'drwr'],
  ['ops/pointSets', 'toolbox'],
];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|py|md|json|html)$/.test(name)) out.push(path);
  }
  return out;
}

const page = (name: string): string | null => (existsSync(join(root, 'docs', `${name}.md`)) ? readFileSync(join(root, 'docs', `${name}.md`), 'utf8') : null);

describe('docs citations', () => {
  const files = sources(root);
  const code = files.filter((f) => f.endsWith('.ts'));

  it('every "docs/<page>.md §N" names a page and a section that exist', () => {
    const bad: string[] = [];
    let seen = 0;
    for (const f of code) {
      for (const m of readFileSync(f, 'utf8').matchAll(/docs\/([\w-]+)\.md(?: §(\d+))?/g)) {
        seen++;
        const text = page(m[1]);
        if (text === null) bad.push(`${relative(root, f)}: docs/${m[1]}.md does not exist`);
        else if (m[2] && !new RegExp(`^## §${m[2]} `, 'm').test(text)) bad.push(`${relative(root, f)}: docs/${m[1]}.md has no section §${m[2]}`);
      }
    }
    expect(seen, 'the check sees citations').to.be.greaterThan(20);
    expect(bad).to.deep.equal([]);
  });

  it('every "eq. N" is labelled "(eq. N)" on a page the file cites, or its folder\'s page', () => {
    const bad: string[] = [];
    let seen = 0;
    for (const f of code) {
      const text = readFileSync(f, 'utf8');
      const rel = relative(root, f).replace(/^spec\//, '');
      const pages = new Set([...text.matchAll(/docs\/([\w-]+)\.md/g)].map((m) => m[1]));
      for (const [folder, name] of FOLDER_PAGE) if (rel.startsWith(folder)) pages.add(name);
      const labels = [...pages].map((p) => page(p) ?? '').join('\n');
      for (const m of text.matchAll(/eq\. ?(\d+)([a-z]?)(?:-(\d+)([a-z]?))?/g)) {
        seen++;
        const ends = [`${m[1]}${m[2]}`, ...(m[3] ? [`${m[3]}${m[4]}`] : [])];
        for (const e of ends) if (!labels.includes(`(eq. ${e})`)) bad.push(`${relative(root, f)}: eq. ${e} (cites ${[...pages].join(', ') || 'no page'})`);
      }
    }
    expect(seen, 'the check sees equations').to.be.greaterThan(50);
    expect([...new Set(bad)]).to.deep.equal([]);
  });

  it('nothing points at files outside the repository', () => {
    const bad = files.filter((f) => /\.\.\/shared|shared\/spec|shared\/seeds/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(bad).to.deep.equal([]);
  });
});
