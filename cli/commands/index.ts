import type { Command } from './command.js';
import { compare } from './compare.js';
import { demo } from './demo.js';
import { evalCommand } from './eval.js';
import { fit } from './fit.js';
import { mesh } from './mesh.js';
import { render } from './render.js';
import { start } from './start.js';
import { version } from './version.js';

export const commands: Record<string, Command> = { start, fit, eval: evalCommand, mesh, render, demo, version, compare };
