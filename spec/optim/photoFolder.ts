// A folder of "photos" as a user brings them: a mesh rasterized from cameras around it (default
// lights, seed = view index, as fit assumes), RGBA PNGs (the alpha is the mask), and a
// transforms.json in the NeRF-synthetic style: camera_angle_x only (no w/h, no fl_x), file paths
// without '.png' under train/, OpenGL camera-to-world matrices.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Camera } from '../../geometry/camera.js';
import { createImage } from '../../geometry/image.js';
import { defaultLights } from '../../geometry/lights.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';
import { writePng } from '../../geometry/png.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { fibonacciViews } from '../../geometry/views.js';

export interface PhotoFolder {
  cameras: Camera[];
  /** The transforms.json as written (parsed). */
  transforms: { camera_angle_x: number; frames: { file_path: string; transform_matrix: number[][] }[] };
}

/** OpenGL camera-to-world rows of a camera (x right, y up, z back), as a NeRF dataset stores them. */
export function openGlCameraToWorld(camera: Camera): number[][] {
  const m = camera.cameraToWorldMatrix();
  for (const col of [1, 2]) for (let r = 0; r < 3; r++) m[r * 4 + col] = -m[r * 4 + col];
  return [0, 1, 2, 3].map((r) => Array.from(m.subarray(r * 4, r * 4 + 4)));
}

/**
 * Writes `dir`/train/r_i.png and `dir`/`file` (default transforms_train.json). `flip` writes the
 * matrices in OpenCV axes instead (the classic convention mistake: every camera faces away);
 * `withSize` adds w and h.
 */
export function writePhotoFolder(dir: string, options: { shape?: string; views?: number; size?: number; file?: string; flip?: boolean; distance?: number; withSize?: boolean } = {}): PhotoFolder {
  const mesh = loadMesh(options.shape ?? 'bunny');
  const size = options.size ?? 32;
  const box = boundingBox(mesh.positions);
  // the object's bounding sphere fills 80% of the frame, or the cameras stand `distance` away
  const cameras = fibonacciViews(options.views ?? 6, { radius: box.diagonal / 2, distance: options.distance, target: box.center, width: size, height: size });
  mkdirSync(join(dir, 'train'), { recursive: true });
  const frames = cameras.map((camera, i) => {
    const r = rasterizeMesh(mesh, camera, { lights: defaultLights(camera, { seed: i }) });
    const rgba = createImage(size, size, 4);
    for (let p = 0; p < size * size; p++) {
      for (let c = 0; c < 3; c++) rgba.data[4 * p + c] = r.color.data[3 * p + c];
      rgba.data[4 * p + 3] = r.alpha.data[p];
    }
    writePng(join(dir, 'train', `r_${i}.png`), rgba);
    const m = options.flip ? [0, 1, 2, 3].map((row) => Array.from(camera.cameraToWorldMatrix().subarray(row * 4, row * 4 + 4))) : openGlCameraToWorld(camera);
    return { file_path: `./train/r_${i}`, transform_matrix: m };
  });
  const transforms = { camera_angle_x: (cameras[0].fovX * Math.PI) / 180, ...(options.withSize ? { w: size, h: size } : {}), frames };
  writeFileSync(join(dir, options.file ?? 'transforms_train.json'), JSON.stringify(transforms, null, 2));
  return { cameras, transforms };
}
