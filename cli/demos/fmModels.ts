// The models of the Fuzzy Metaballs demos: the bunny, the teapot and the built-in trefoil knot (a
// thin tube: no mirror symmetry, only a 3-fold turn maps it to itself, genus one), each as a mesh
// and as 40 Gaussians fitted to 10,000 surface samples (docs/fm.md §6), with its centre, size and
// shape scale.

import { type MetaballParameters, metaballsOfMesh } from '../../geometry/gaussianMixture.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { type Mesh, boundingBox } from '../../geometry/mesh.js';
import { metaballScale } from '../../ops/metaballs/options.js';

export const FM_MODELS = ['bunny', 'teapot', 'trefoil'] as const;
export type FmModelName = (typeof FM_MODELS)[number];

export interface FmModel {
  name: string;
  mesh: Mesh;
  metaballs: MetaballParameters;
  /** Centre of the bounding box. */
  centre: [number, number, number];
  /** Mean side of the bounding box: the unit of translation errors (the reference's model size). */
  size: number;
  /** Shape scale eta of the fitted metaballs (docs/fm.md §3). */
  scale: number;
}

export function meshOfModel(name: string): Mesh {
  return loadMesh(name);
}

/** A model with its metaballs (`components` Gaussians fitted to `samples` surface points; defaults 40 and 10,000). */
export function fmModel(name: string, fit: { components?: number; samples?: number } = {}): FmModel {
  const mesh = meshOfModel(name);
  const metaballs = metaballsOfMesh(mesh, { K: fit.components, samples: fit.samples });
  const b = boundingBox(mesh.positions);
  const size = (b.max[0] - b.min[0] + b.max[1] - b.min[1] + b.max[2] - b.min[2]) / 3;
  return { name, mesh, metaballs, centre: b.center, size, scale: metaballScale(metaballs.means, metaballs.precisions, metaballs.logWeights) };
}
