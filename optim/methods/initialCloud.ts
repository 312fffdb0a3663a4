// Where a point-based method starts: a sphere of points inside the target, or a PLY cloud (an
// earlier result.ply or checkpoint.ply, to resume).

import { loadMesh, loadPointCloud } from '../../geometry/loadMesh.js';
import { samplePoints } from '../../geometry/sampling.js';
import { ArgumentError } from '../../lib/errors.js';
import type { FitScene } from '../fitMethod.js';

export interface StartingCloud {
  positions: Float64Array;
  normals: Float64Array;
  colors?: Float32Array;
}

/** `init` 'sphere': `points` points on a sphere of radius `radius` x the scene's extent around its centre; else a .ply path. */
export function initialCloud(scene: FitScene, init: string, points: number, radius: number, seed: number): StartingCloud {
  if (init === 'sphere') {
    const sphere = samplePoints(loadMesh('sphere'), points, { seed: seed + 1 });
    const r = 2 * radius * scene.extent; // the built-in sphere has radius 0.5
    return { positions: sphere.positions.map((v, i) => scene.center[i % 3] + r * v), normals: sphere.normals! };
  }
  if (!init.toLowerCase().endsWith('.ply')) throw new ArgumentError(`--init must be 'sphere' or a .ply point cloud with normals, got '${init}'.`);
  const cloud = loadPointCloud(init);
  if (!cloud.normals) throw new ArgumentError(`--init '${init}' has no normals; the splats need an orientation: add nx ny nz, or start from --init sphere.`);
  return cloud.colors ? { positions: cloud.positions, normals: cloud.normals, colors: cloud.colors } : { positions: cloud.positions, normals: cloud.normals };
}
