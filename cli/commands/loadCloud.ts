// What the commands render or fit: a built-in shape or a mesh file sampled to N oriented points,
// or a point-cloud file used as it is (it must carry normals).

import { ArgumentError } from '../../lib/errors.js';
import { boundingBox, type PointCloud } from '../../geometry/mesh.js';
import { extname } from 'node:path';
import { BUILT_IN_SHAPES, MESH_FILE_EXTENSIONS, builtInShape, readMeshFile, type BuiltInShape } from '../../geometry/loadMesh.js';
import { closestName } from '../../lib/suggest.js';
import { samplePoints } from '../../geometry/sampling.js';
import { computeVertexNormals, flatShaded } from '../../geometry/shapes/vertexNormals.js';

export interface SceneCloud extends PointCloud {
  /** Centre and radius of the bounding sphere of the bbox, for placing cameras. */
  center: [number, number, number];
  radius: number;
}

/** `flat`: sample a mesh as if shaded flat (each triangle's own normal), not by its vertex normals. */
export function loadCloud(input: string, points: number, seed: number, flat = false): SceneCloud {
  let cloud: PointCloud;
  if ((BUILT_IN_SHAPES as readonly string[]).includes(input)) {
    const mesh = builtInShape(input as BuiltInShape);
    cloud = samplePoints(flat ? flatShaded(mesh) : mesh, points, { seed });
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
      cloud = samplePoints(flat ? flatShaded(file) : file, points, { seed });
    } else {
      if (flat) throw new ArgumentError(`--flat: '${input}' is a point cloud (no faces), which has no triangles to shade flat; drop --flat.`);
      if (file.positions.length === 0) throw new ArgumentError(`--input '${input}' holds no points.`);
      if (!file.normals) throw new ArgumentError(`--input '${input}' is a point cloud without normals; splats need an orientation: add nx ny nz to the file.`);
      cloud = file;
    }
  }
  const box = boundingBox(cloud.positions);
  return { ...cloud, center: box.center, radius: Math.max(box.diagonal / 2, 1e-6) };
}
