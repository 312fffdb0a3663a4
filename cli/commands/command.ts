import type { ParsedArgs } from '../args.js';

/** One CLI command: a one-line summary, its help text, and what it does (returns the exit code). */
export interface Command {
  summary: string;
  help: string;
  run(args: ParsedArgs): Promise<number>;
}
