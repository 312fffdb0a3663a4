// The `bunny` demo, what npm start runs: sphere -> Stanford bunny (defaults and why: shapeFit.ts).
import { type ShapeFitOptions, type ShapeFitSummary, shapeFitDemo } from './shapeFit.js';

export const bunnyDemo = (options: ShapeFitOptions = {}): ShapeFitSummary => shapeFitDemo('bunny', options);
