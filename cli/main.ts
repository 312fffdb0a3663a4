#!/usr/bin/env node
// The splatgrad command line: `splatgrad <command> [options]`. Each command lives in
// cli/commands/; errors the user can fix print one clear line and exit with code 2.

import { SplatgradError } from '../lib/errors.js';
import { didYouMean } from '../lib/suggest.js';
import { parseArgs } from './args.js';
import { commands } from './commands/index.js';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: splatgrad <command> [options]', '', 'commands:', ...lines, '', 'splatgrad <command> --help shows the options of a command.'].join('\n');
}

const isHelp = (a: string) => a === '--help' || a === '-h';

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || isHelp(name) || (name === 'help' && rest.length === 0)) {
    console.log(usage());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === '-v') return commands.version.run({ positionals: [], options: new Map() });
  // `splatgrad help fit` is `splatgrad fit --help`
  const commandName = name === 'help' ? rest[0] : name;
  const command = commands[commandName];
  if (!command) {
    console.error(`splatgrad: unknown command '${commandName}'.${didYouMean(commandName, Object.keys(commands))}\n\n${usage()}`);
    return 2;
  }
  // -h or --help anywhere (before any value is read as a target or a number) shows the help
  if (name === 'help' || rest.some(isHelp)) {
    console.log(command.help);
    return 0;
  }
  try {
    const args = parseArgs(rest, new Set(['json', 'help']));
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
