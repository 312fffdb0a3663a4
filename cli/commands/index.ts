import type { Command } from './command.js';
import { start } from './start.js';
import { version } from './version.js';

export const commands: Record<string, Command> = { start, version };
