// The methods `splatgrad compare` runs, one entry each: a column name and the fit config it runs
// with on the comparison's 64-px, 32-view silhouettes (the method's own defaults for the rest).
// An entry whose method is not in optim/methods/ yet is left out until it lands. Why each
// setting is what it is: docs/renderers.md §3.

import { FIT_METHODS } from '../../optim/methods/index.js';

export interface CompareMethod {
  /** The column's name (also what --methods takes). */
  name: string;
  /** One line for --help and the docs. */
  summary: string;
  /** Fit settings (the method among them); everything else is the method's default. */
  config: Readonly<Record<string, unknown>> & { method: string };
}

export const COMPARE_METHODS: readonly CompareMethod[] = [
  { name: 'carve', summary: 'voxel carving: the visual hull of the masks', config: { method: 'carve' } },
  {
    name: 'dss',
    summary: 'DSS with the silhouette loss: white splats against the masks',
    config: { method: 'dss', loss: 'silhouette', points: 3000, iterations: 600, viewsPerStep: 4 },
  },
  { name: 'drwr', summary: 'DRWR: points scored where they project, nothing rendered', config: { method: 'drwr' } },
  { name: 'metaballs', summary: 'Fuzzy Metaballs: 40 Gaussians rendered as a soft silhouette', config: { method: 'metaballs' } },
  // silhouettes only, like every other entry (the method's default also fits depth images); renders
  // at 32 px and 250 steps so its twelve fits stay within the comparison's budget
  {
    name: 'dist',
    summary: 'DIST: an MLP signed distance function, sphere traced',
    config: { method: 'sdf', depthWeight: 0, resolution: 32, iterations: 250, initSteps: 200 },
  },
];

/** The entries whose method the fit driver has. */
export function availableCompareMethods(): CompareMethod[] {
  return COMPARE_METHODS.filter((m) => m.config.method in FIT_METHODS);
}
