// What the commands render or fit: a built-in shape or a mesh file sampled to N oriented points,
// or a point-cloud file used as it is (it must carry normals).

import { existsSync } from 'node:fs';
import { ArgumentError } from '../../lib/errors.js';
import { boundingBox, type PointCloud } from '../../geometry/mesh.js';
import { BUILT_IN_SHAPES, loadMesh, loadPointCloud } from '../../geometry/loadMesh.js';
import { samplePoints } from '../../geometry/sampling.js';

export interface SceneCloud extends PointCloud {
  /** Centre and radius of the bounding sphere of the bbox, for placing cameras. */
  center: [number, number, number];
  radius: number;
}

export function loadCloud(input: string, points: number, seed: number): SceneCloud {
  let cloud: PointCloud;
  if ((BUILT_IN_SHAPES as readonly string[]).includes(input)) {
    cloud = samplePoints(loadMesh(input), points, { seed });
  } else {
    if (!existsSync(input)) throw new ArgumentError(`--input '${input}' is neither a built-in shape (${BUILT_IN_SHAPES.join(', ')}) nor an existing file.`);
    let mesh = null;
    try {
      mesh = loadMesh(input);
    } catch {
      mesh = null;
    }
    if (mesh && mesh.faces.length > 0) cloud = samplePoints(mesh, points, { seed });
    else {
      cloud = loadPointCloud(input);
      if (!cloud.normals) throw new ArgumentError(`--input '${input}' is a point cloud without normals; splats need an orientation: add nx ny nz to the file.`);
    }
  }
  const box = boundingBox(cloud.positions);
  const center: [number, number, number] = [(box.min[0] + box.max[0]) / 2, (box.min[1] + box.max[1]) / 2, (box.min[2] + box.max[2]) / 2];
  return { ...cloud, center, radius: Math.max(box.diagonal / 2, 1e-6) };
}
