// Where a point-based method starts: points on the visual hull of the target's masks (what the
// views already say about the shape: docs/dss.md §5, "The start"), a sphere of points inside the
// target, or a PLY cloud (an earlier result.ply or checkpoint.ply, to resume).

import { loadMesh, loadPointCloud } from '../../geometry/loadMesh.js';
import { samplePoints } from '../../geometry/sampling.js';
import { visualHull } from '../../geometry/visualHull.js';
import { ArgumentError } from '../../lib/errors.js';
import type { FitScene } from '../fitMethod.js';

export interface StartingCloud {
  positions: Float64Array;
  normals: Float64Array;
  colors?: Float32Array;
  /** Sampled on the visual hull of the masks. */
  onHull?: boolean;
}

/** Grid cells along the largest side of the carved box, and the box's half-side in extents of the scene. */
const HULL_RESOLUTION = 64;
const HULL_MARGIN = 1.25;

/** True when every view has a mask: the hull can be carved. */
export function hullPossible(scene: FitScene): boolean {
  return scene.views.every((v) => v.mask !== undefined);
}

/**
 * `points` points sampled on the visual hull of the views' masks, with outward normals, or null
 * when carving leaves nothing (masks that do not agree with the cameras).
 */
export function hullCloud(scene: FitScene, points: number, seed: number): StartingCloud | null {
  const h = HULL_MARGIN * scene.extent;
  const hull = visualHull(
    scene.views.map((v) => ({ camera: v.camera, mask: v.mask! })),
    { resolution: HULL_RESOLUTION, bounds: { min: scene.center.map((c) => c - h), max: scene.center.map((c) => c + h) } },
  );
  if (hull.mesh.faces.length === 0) return null;
  const sample = samplePoints(hull.mesh, points, { seed: seed + 1 });
  return { positions: sample.positions, normals: sample.normals!, onHull: true };
}

/**
 * `init` 'auto': the hull where every view has a mask, else the sphere. 'hull': `points` points on the visual hull of the masks (an ArgumentError without masks);
 * 'sphere': on a sphere of radius `radius` x the scene's extent around its centre; else a .ply path.
 */
export function initialCloud(scene: FitScene, init: string, points: number, radius: number, seed: number): StartingCloud {
  if (init === 'auto') {
    // the hull where the masks allow it; a sphere where they don't, or where carving leaves nothing
    const hull = hullPossible(scene) ? hullCloud(scene, points, seed) : null;
    return hull ?? initialCloud(scene, 'sphere', points, radius, seed);
  }
  if (init === 'hull') {
    if (!hullPossible(scene)) throw new ArgumentError('--init hull needs a mask on every view (a shape or mesh target, or a folder with --masks or PNG alpha); use --init sphere.');
    const hull = hullCloud(scene, points, seed);
    if (!hull) throw new ArgumentError('--init hull: carving the masks left nothing: the masks and the cameras do not agree (see docs/cameras.md); use --init sphere to go on anyway.');
    return hull;
  }
  if (init === 'sphere') {
    const sphere = samplePoints(loadMesh('sphere'), points, { seed: seed + 1 });
    const r = 2 * radius * scene.extent; // the built-in sphere has radius 0.5
    return { positions: sphere.positions.map((v, i) => scene.center[i % 3] + r * v), normals: sphere.normals! };
  }
  if (!init.toLowerCase().endsWith('.ply')) throw new ArgumentError(`--init must be 'auto', 'hull', 'sphere' or a .ply point cloud with normals, got '${init}'.`);
  const cloud = loadPointCloud(init);
  if (!cloud.normals) throw new ArgumentError(`--init '${init}' has no normals; the splats need an orientation: add nx ny nz, or start from --init sphere.`);
  return cloud.colors ? { positions: cloud.positions, normals: cloud.normals, colors: cloud.colors } : { positions: cloud.positions, normals: cloud.normals };
}
