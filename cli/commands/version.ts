import { readFileSync } from 'node:fs';
import type { Command } from './command.js';

export const version: Command = {
  summary: 'print the version',
  help: 'splatgrad version\n\nPrints the package version.',
  async run() {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  },
};
