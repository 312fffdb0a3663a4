#!/usr/bin/env node
// The splatgrad command line: `splatgrad <command> [options]`. Each command lives in
// cli/commands/; errors the user can fix print one clear line and exit with code 2.

import { SplatgradError } from '../lib/errors.js';
import { parseArgs } from './args.js';
import { commands } from './commands/index.js';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: splatgrad <command> [options]', '', 'commands:', ...lines, '', 'splatgrad <command> --help shows the options of a command.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`splatgrad: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  const args = parseArgs(rest, new Set(['json', 'help']));
  if (args.options.has('help')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (e) {
    if (e instanceof SplatgradError) {
      console.error(`splatgrad ${name}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
