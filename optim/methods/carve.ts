// Voxel carving as a fit method: the visual hull of the target's masks (geometry/visualHull.ts),
// computed once, no optimization. The classic baseline of shape from silhouette: exact where every
// mask is right, and it loses for good whatever a single mask misses (docs/renderers.md §1).

import { rasterizeMesh } from '../../geometry/rasterize.js';
import { samplePoints } from '../../geometry/sampling.js';
import { type VisualHull, visualHull } from '../../geometry/visualHull.js';
import { ArgumentError } from '../../lib/errors.js';
import type { FitCloud, FitMethod, FitSession } from '../fitMethod.js';

export interface CarveSettings {
  resolution: number;
  margin: number;
  points: number;
}

export const carve: FitMethod<CarveSettings> = {
  name: 'carve',
  summary: 'voxel carving: the visual hull of the masks, a surface from a carved grid (geometry/visualHull.ts)',
  iterations: 1,
  settings: {
    resolution: { kind: 'integer', default: 96, min: 8, max: 512, help: 'grid cells along the longest side of the carved box' },
    margin: { kind: 'number', default: 1.5, min: 0.5, max: 10, help: "the box's half-side, in extents of the target around its centre" },
    points: { kind: 'integer', default: 20000, min: 1, max: 2_000_000, help: "points sampled on the hull's surface (result.ply and Chamfer)" },
  },
  start(scene, s, context): FitSession {
    const missing = scene.views.findIndex((v) => !v.mask);
    if (missing >= 0) throw new ArgumentError(`--method carve needs a mask for every view; view ${missing} has none: give a folder target --masks DIR (or images with an alpha channel).`);
    const half = s.margin * scene.extent;
    const hull: VisualHull = visualHull(
      scene.views.map((v) => ({ camera: v.camera, mask: v.mask! })),
      { resolution: s.resolution, bounds: { min: scene.center.map((c) => c - half), max: scene.center.map((c) => c + half) } },
    );
    const empty = hull.mesh.faces.length === 0;
    const surface = empty ? null : samplePoints(hull.mesh, s.points, { seed: context.seed + 1 });
    const cloud: FitCloud = surface ? { positions: surface.positions, normals: surface.normals ?? null, colors: null } : { positions: Float64Array.from(scene.center), normals: null, colors: null }; // nothing left: one point where the object should be
    return {
      step: () => 0, // nothing to optimize: the hull is carved once, above
      stopped: () => 'converged',
      cloud: () => cloud,
      mesh: () => (empty ? null : hull.mesh),
      preview: (view) => (empty ? new Float32Array(view.camera.width * view.camera.height * 3) : Float32Array.from(rasterizeMesh(hull.mesh, view.camera, { lights: view.lights }).color.data)),
      summary: () => ({ hullVoxels: hull.inside, hullFaces: hull.mesh.faces.length / 3 }),
    };
  },
};
