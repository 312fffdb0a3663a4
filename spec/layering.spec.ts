// The folder tree is the architecture: each layer imports only the layers below it, so a reader
// can start at lib/ and never meet a name from above (README, "Learning the algorithms").

import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Lower layers first; a file may import from its own layer and the ones before it. */
const LAYERS: string[][] = [['lib'], ['parallel'], ['geometry'], ['ops'], ['nn'], ['optim'], ['cli'], ['bench', 'browser']];
const rank = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('layering', () => {
  it('no file imports from a layer above its own (lib < parallel < geometry < ops < nn < optim < cli < bench, browser)', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const layer of LAYERS.flat()) {
      let all: string[];
      try {
        all = files(join(root, layer));
      } catch {
        continue; // a layer not made yet
      }
      for (const file of all) {
        for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
          const target = relative(root, resolve(dirname(file), m[1])).split('/')[0];
          const r = rank(target);
          checked++;
          if (r > rank(layer)) bad.push(`${relative(root, file)} imports ${m[1]} (${target}/ is above ${layer}/)`);
        }
      }
    }
    expect(checked, 'the check sees imports').to.be.greaterThan(300);
    expect(bad).to.deep.equal([]);
  });
});
