// Camera files: our JSON format (read and write) and the common `transforms.json` convention
// (read and write) used by NeRF-style datasets, so users can bring posed photos. docs/cameras.md
// documents both for users, with the axis conventions and a worked example.
//
// Our format (OpenCV axes: x right, y down, z forward; pixels as in geometry/camera.ts):
//   {
//     "format": "splatgrad-cameras",          // optional on read
//     "version": 1,
//     "cameras": [
//       { "width": 256, "height": 256,          // image size in pixels
//         "fx": 221.7, "fy": 221.7,             // focal lengths in pixels
//         "cx": 128, "cy": 128,                 // principal point in pixels
//         "worldToCamera": [[r00, r01, r02, t0], [r10, r11, r12, t1], [r20, r21, r22, t2], [0, 0, 0, 1]],
//         "near": 0.0001,                       // optional
//         "image": "views/000.png" }            // optional; fit looks in the photo folder, then beside the file
//     ]
//   }
//
// transforms.json: top-level intrinsics `w`, `h`, and `fl_x`/`fl_y` (pixels) or `camera_angle_x`
// (/`camera_angle_y`, radians), optional `cx`, `cy` (default the image centre); any of these may
// be overridden per frame. frames[i].transform_matrix is camera-to-world in the OpenGL convention
// (x right, y up, z backward); frames[i].file_path names the image. Lens distortion (k1, k2, p1,
// p2) is ignored: this is a pinhole camera.

import { readFileSync, writeFileSync } from 'node:fs';
import { ArgumentError, SplatgradError } from '../lib/errors.js';
import { Camera, type CameraJSON, matrix4 } from './camera.js';

export const CAMERA_FILE_FORMAT = 'splatgrad-cameras';
export const CAMERA_FILE_VERSION = 1;

/** A camera and, optionally, the image taken with it. */
export interface PosedView {
  camera: Camera;
  image?: string;
}

type Json = Record<string, unknown>;

function parseJson(text: string, fileName: string): Json {
  if (typeof text !== 'string') throw new ArgumentError(`${fileName}: expected the file contents as a string.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(`${fileName}: not valid JSON (${(e as Error).message}); fix the syntax.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ArgumentError(`${fileName}: the top level must be a JSON object.`);
  return value as Json;
}

/** Runs `build`, re-throwing its typed errors with the file and field prefixed. */
function inFile<T>(fileName: string, field: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof SplatgradError) throw new ArgumentError(`${fileName}: ${field}: ${e.message}`);
    throw e;
  }
}

function optionalNumber(obj: Json, key: string, fileName: string, field: string): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${fileName}: ${field}.${key} must be a finite number, got ${JSON.stringify(v)}.`);
  return v;
}

function requiredNumber(obj: Json, key: string, fileName: string, field: string): number {
  const v = optionalNumber(obj, key, fileName, field);
  if (v === undefined) throw new ArgumentError(`${fileName}: ${field}.${key} is missing; add it.`);
  return v;
}

function optionalString(obj: Json, key: string, fileName: string, field: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ArgumentError(`${fileName}: ${field}.${key} must be a string, got ${JSON.stringify(v)}.`);
  return v;
}

function frameList(obj: Json, key: string, fileName: string): Json[] {
  const list = obj[key];
  if (!Array.isArray(list)) throw new ArgumentError(`${fileName}: "${key}" must be an array, got ${JSON.stringify(list)?.slice(0, 60)}.`);
  list.forEach((c, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new ArgumentError(`${fileName}: ${key}[${i}] must be an object.`);
  });
  return list as Json[];
}

/** Cameras (and image names) from the text of one of our camera files. */
export function parseCameraFile(text: string, fileName = '<camera file>'): PosedView[] {
  const root = parseJson(text, fileName);
  if (root.format !== undefined && root.format !== CAMERA_FILE_FORMAT) {
    throw new ArgumentError(`${fileName}: format is ${JSON.stringify(root.format)}, expected "${CAMERA_FILE_FORMAT}" (for a transforms.json file use parseTransformsJson).`);
  }
  if (root.version !== CAMERA_FILE_VERSION) {
    throw new ArgumentError(`${fileName}: version is ${JSON.stringify(root.version)}, this reader understands version ${CAMERA_FILE_VERSION}.`);
  }
  return frameList(root, 'cameras', fileName).map((c, i) => {
    const field = `cameras[${i}]`;
    const options = {
      width: requiredNumber(c, 'width', fileName, field),
      height: requiredNumber(c, 'height', fileName, field),
      fx: requiredNumber(c, 'fx', fileName, field),
      fy: requiredNumber(c, 'fy', fileName, field),
      cx: requiredNumber(c, 'cx', fileName, field),
      cy: requiredNumber(c, 'cy', fileName, field),
      near: optionalNumber(c, 'near', fileName, field),
    };
    if (c.worldToCamera === undefined) throw new ArgumentError(`${fileName}: ${field}.worldToCamera is missing; add the 4x4 world-to-camera matrix.`);
    const camera = inFile(fileName, field, () => Camera.fromMatrix({ ...options, worldToCamera: c.worldToCamera as number[][] }));
    const image = optionalString(c, 'image', fileName, field);
    return image === undefined ? { camera } : { camera, image };
  });
}

/** The text of a camera file for these cameras (or views with image names). */
export function formatCameraFile(views: readonly (Camera | PosedView)[]): string {
  const cameras = views.map((v, i) => {
    const view = v instanceof Camera ? { camera: v } : v;
    if (!view || !(view.camera instanceof Camera)) throw new ArgumentError(`views[${i}] must be a Camera or { camera: Camera, image?: string }.`);
    const json: CameraJSON & { image?: string } = view.camera.toJSON();
    if (view.image !== undefined) json.image = view.image;
    return json;
  });
  return `${JSON.stringify({ format: CAMERA_FILE_FORMAT, version: CAMERA_FILE_VERSION, cameras }, null, 2)}\n`;
}

export function readCameraFile(path: string): PosedView[] {
  return parseCameraFile(readFileSync(path, 'utf8'), path);
}

export function writeCameraFile(path: string, views: readonly (Camera | PosedView)[]): void {
  writeFileSync(path, formatCameraFile(views));
}

// OpenGL camera axes (x right, y up, z back) are ours (x right, y down, z forward) with y and z
// negated: c2w_ours = c2w_gl diag(1, -1, -1, 1). Our R = (rotation of c2w_ours)^T, t = -R eye.
function worldToCameraFromOpenGL(c2w: Float64Array): Float64Array {
  const m = new Float64Array(16);
  const eye = [c2w[3], c2w[7], c2w[11]];
  const sign = [1, -1, -1];
  for (let i = 0; i < 3; i++) {
    // row i of R = column i of the OpenGL rotation, times its sign
    for (let j = 0; j < 3; j++) m[i * 4 + j] = sign[i] * c2w[j * 4 + i];
    m[i * 4 + 3] = -(m[i * 4] * eye[0] + m[i * 4 + 1] * eye[1] + m[i * 4 + 2] * eye[2]);
  }
  m[15] = 1;
  return m;
}

/** Intrinsics of one frame: frame fields override the file's top-level ones. */
function transformsIntrinsics(root: Json, frame: Json, fileName: string, field: string, defaults: { width?: number; height?: number }) {
  const pick = (key: string): number | undefined => optionalNumber(frame, key, fileName, field) ?? optionalNumber(root, key, fileName, 'top level');
  const width = pick('w') ?? defaults.width;
  const height = pick('h') ?? defaults.height;
  if (width === undefined) throw new ArgumentError(`${fileName}: ${field}: image width "w" is missing; add "w" to the file or pass { width } to the reader.`);
  if (height === undefined) throw new ArgumentError(`${fileName}: ${field}: image height "h" is missing; add "h" to the file or pass { height } to the reader.`);
  const angleX = pick('camera_angle_x'),
    angleY = pick('camera_angle_y');
  // fl = (size / 2) / tan(angle / 2)
  let fx = pick('fl_x') ?? (angleX !== undefined ? width / 2 / Math.tan(angleX / 2) : undefined);
  let fy = pick('fl_y') ?? (angleY !== undefined ? height / 2 / Math.tan(angleY / 2) : undefined);
  fx ??= fy;
  fy ??= fx;
  if (fx === undefined || fy === undefined) {
    throw new ArgumentError(`${fileName}: ${field}: no focal length; give "fl_x" (pixels) or "camera_angle_x" (radians).`);
  }
  return { width, height, fx, fy, cx: pick('cx'), cy: pick('cy') };
}

/**
 * Cameras from a transforms.json text. `width`/`height` fill in when the file has no "w"/"h"
 * (the original NeRF synthetic scenes omit them: 800 x 800).
 */
export function parseTransformsJson(text: string, fileName = '<transforms.json>', defaults: { width?: number; height?: number } = {}): PosedView[] {
  const root = parseJson(text, fileName);
  return frameList(root, 'frames', fileName).map((frame, i) => {
    const field = `frames[${i}]`;
    const k = transformsIntrinsics(root, frame, fileName, field, defaults);
    if (frame.transform_matrix === undefined) throw new ArgumentError(`${fileName}: ${field}.transform_matrix is missing; add the 4x4 camera-to-world matrix.`);
    const c2w = inFile(fileName, `${field}.transform_matrix`, () => matrix4(frame.transform_matrix, 'transform_matrix'));
    if (c2w[12] !== 0 || c2w[13] !== 0 || c2w[14] !== 0 || c2w[15] !== 1) {
      throw new ArgumentError(`${fileName}: ${field}.transform_matrix's last row must be [0, 0, 0, 1], got [${Array.from(c2w.subarray(12))}].`);
    }
    const camera = inFile(fileName, `${field}.transform_matrix`, () => Camera.fromMatrix({ ...k, worldToCamera: worldToCameraFromOpenGL(c2w) }));
    const image = optionalString(frame, 'file_path', fileName, field);
    return image === undefined ? { camera } : { camera, image };
  });
}

export function readTransformsJson(path: string, defaults: { width?: number; height?: number } = {}): PosedView[] {
  return parseTransformsJson(readFileSync(path, 'utf8'), path, defaults);
}

/** transforms.json text for these cameras (per-frame intrinsics, OpenGL camera-to-world matrices). */
export function formatTransformsJson(views: readonly (Camera | PosedView)[]): string {
  const frames = views.map((v, i) => {
    const view = v instanceof Camera ? { camera: v } : v;
    if (!view || !(view.camera instanceof Camera)) throw new ArgumentError(`views[${i}] must be a Camera or { camera: Camera, image?: string }.`);
    const c = view.camera;
    const m = c.cameraToWorldMatrix();
    // back to OpenGL axes: negate the camera y and z columns
    for (const col of [1, 2]) for (let r = 0; r < 3; r++) m[r * 4 + col] = -m[r * 4 + col];
    const rows = [0, 1, 2, 3].map((r) => Array.from(m.subarray(r * 4, r * 4 + 4)));
    const frame: Json = { w: c.width, h: c.height, fl_x: c.fx, fl_y: c.fy, cx: c.cx, cy: c.cy, transform_matrix: rows };
    if (view.image !== undefined) frame.file_path = view.image;
    return frame;
  });
  return `${JSON.stringify({ frames }, null, 2)}\n`;
}
