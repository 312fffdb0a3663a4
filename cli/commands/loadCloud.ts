// What the commands render or fit: a built-in shape or a mesh file sampled to N oriented points,
// or a point-cloud file used as it is (it must carry normals).

import { ArgumentError } from '../../lib/errors.js';
import { boundingBox, type PointCloud } from '../../geometry/mesh.js';
import { extname } from 'node:path';
import { BUILT_IN_SHAPES, MESH_FILE_EXTENSIONS, builtInShape, readMeshFile, type BuiltInShape } from '../../geometry/loadMesh.js';
import { closestName } from '../../lib/suggest.js';
import { samplePoints } from '../../geometry/sampling.js';
import { computeVertexNormals } from '../../geometry/shapes/vertexNormals.js';

export interface SceneCloud extends PointCloud {
  /** Centre and radius of the bounding sphere of the bbox, for placing cameras. */
  center: [number, number, number];
  radius: number;
}

export function loadCloud(input: string, points: number, seed: number): SceneCloud {
  let cloud: PointCloud;
  if ((BUILT_IN_SHAPES as readonly string[]).includes(input)) {
    cloud = samplePoints(builtInShape(input as BuiltInShape), points, { seed });
  } else {
    if (!(MESH_FILE_EXTENSIONS as readonly string[]).includes(extname(input).toLowerCase())) {
      const best = closestName(input, BUILT_IN_SHAPES);
      throw new ArgumentError(
        `--input: '${input}' is neither a built-in shape (${BUILT_IN_SHAPES.join(', ')}) nor a ${MESH_FILE_EXTENSIONS.join(' or ')} file${best ? `; did you mean '${best}'?` : '; pass one of those.'}`,
      );
    }
    const file = readMeshFile(input, '--input');
    if (file.faces.length > 0) {
      file.normals ??= computeVertexNormals(file.positions, file.faces);
      cloud = samplePoints(file, points, { seed });
    } else {
      if (file.positions.length === 0) throw new ArgumentError(`--input '${input}' holds no points.`);
      if (!file.normals) throw new ArgumentError(`--input '${input}' is a point cloud without normals; splats need an orientation: add nx ny nz to the file.`);
      cloud = file;
    }
  }
  const box = boundingBox(cloud.positions);
  return { ...cloud, center: box.center, radius: Math.max(box.diagonal / 2, 1e-6) };
}
