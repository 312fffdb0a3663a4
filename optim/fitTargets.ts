// What `splatgrad fit` fits to: target images with their cameras and lights.
// - a built-in shape or a mesh file: ground truth rendered by the triangle rasterizer from views
//   spread over a sphere (geometry/views.ts), each at the distance where the whole mesh spans 80%
//   of its frame (framed by its vertices, as any shape needs: a radius guess cuts off a cube's
//   corners), default lights per view; the true surface is known;
// - a folder of images with a camera file (our JSON or transforms.json) and optional masks. The
//   renders are shaded with each camera's default lights (geometry/lights.ts, seed = view index).
// Everything is read and checked here, before the loop starts.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Camera } from '../geometry/camera.js';
import { type PosedView, readCameraFile, readTransformsJson } from '../geometry/cameraFile.js';
import type { FloatImage } from '../geometry/image.js';
import { defaultLights } from '../geometry/lights.js';
import { BUILT_IN_SHAPES, type BuiltInShape, builtInShape, readMeshFile } from '../geometry/loadMesh.js';
import { boundingBox, type Mesh } from '../geometry/mesh.js';
import { readPng } from '../geometry/png.js';
import { rasterizeMesh } from '../geometry/rasterize.js';
import { samplePoints } from '../geometry/sampling.js';
import { fibonacciViews } from '../geometry/views.js';
import { tensor } from '../lib/create.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import type { FitView } from './fitMethod.js';

export interface FitTargets {
  kind: 'shape' | 'mesh' | 'images';
  views: FitView[];
  /** Points on the true surface (for Chamfer and Hausdorff), or null when unknown. */
  truth: Float64Array | null;
  /** The true surface's normals at those points. */
  truthNormals: Float64Array | null;
  /** Where the initial sphere goes: the centre of the object and its largest bbox half-side. */
  center: [number, number, number];
  extent: number;
}

/** Image side and view count a shape or mesh target is rendered at by default. */
export const TARGET_DEFAULTS = { size: 128, views: 12 } as const;

export interface TargetOptions {
  size: number;
  views: number;
  cameras: string | null;
  masks: string | null;
  truth: string | null;
}

/** Points sampled on the true surface for the metrics. */
const TRUTH_POINTS = 20000;

function meshOf(target: string): { mesh: Mesh; kind: 'shape' | 'mesh' } {
  if ((BUILT_IN_SHAPES as readonly string[]).includes(target)) return { mesh: builtInShape(target as BuiltInShape), kind: 'shape' };
  const mesh = readMeshFile(target, '--target');
  if (mesh.faces.length === 0) throw new ArgumentError(`--target '${target}' has no faces; a target mesh needs triangles to render (a point cloud belongs in --init).`);
  return { mesh, kind: 'mesh' };
}

function frameOf(positions: Float64Array): { center: [number, number, number]; extent: number } {
  const b = boundingBox(positions);
  const extent = Math.max(...[0, 1, 2].map((k) => (b.max[k] - b.min[k]) / 2), 1e-6);
  return { center: b.center, extent };
}

/** A shape or mesh rendered from `views` cameras around it. */
export function meshTargets(target: string, options: Pick<TargetOptions, 'size' | 'views'>): FitTargets {
  const { mesh, kind } = meshOf(target);
  const { center, extent } = frameOf(mesh.positions);
  const { size } = options;
  const cameras = fibonacciViews(options.views, { points: mesh.positions, target: center, width: size, height: size });
  const views: FitView[] = cameras.map((camera, i) => {
    const lights = defaultLights(camera, { seed: i });
    const r = rasterizeMesh(mesh, camera, { lights });
    return { camera, lights, mask: r.alpha.data, target: tensor(r.color.data, { shape: [size, size, 3] }) };
  });
  const truth = samplePoints(mesh, TRUTH_POINTS, { seed: 2 });
  return { kind, views, truth: truth.positions, truthNormals: truth.normals ?? null, center, extent };
}

/** The camera file of a folder: the one given, else cameras.json or transforms.json inside it. */
function cameraFileOf(dir: string, given: string | null): string {
  if (given) {
    if (!existsSync(given)) throw new ArgumentError(`--cameras: no file at '${given}'; check the path.`);
    return given;
  }
  for (const name of ['cameras.json', 'transforms.json']) if (existsSync(join(dir, name))) return join(dir, name);
  throw new ArgumentError(`--target '${dir}' is a folder of images but has no cameras.json or transforms.json; pass the camera file with --cameras FILE.`);
}

function readCameras(file: string): PosedView[] {
  const views = basename(file) === 'transforms.json' ? readTransformsJson(file) : readCameraFileOrTransforms(file);
  if (views.length === 0) throw new ArgumentError(`${file} lists no cameras; add one per image.`);
  return views;
}

/** Our format unless the file is a transforms.json under another name. */
function readCameraFileOrTransforms(file: string): PosedView[] {
  try {
    return readCameraFile(file);
  } catch (e) {
    try {
      return readTransformsJson(file);
    } catch {
      throw e;
    }
  }
}

/** The image of a camera: its named file (transforms.json often leaves out '.png'), else the i-th PNG. */
function imagePaths(dir: string, cameraFile: string, posed: PosedView[]): string[] {
  if (posed.every((p) => p.image !== undefined)) {
    return posed.map((p) => {
      const path = resolve(dirname(cameraFile), p.image!);
      if (existsSync(path)) return path;
      if (extname(path) === '' && existsSync(`${path}.png`)) return `${path}.png`;
      throw new ArgumentError(`${cameraFile}: the image '${p.image}' of a camera is not at '${path}'; fix the path in the camera file or add the image.`);
    });
  }
  const pngs = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort();
  if (pngs.length !== posed.length) {
    throw new ArgumentError(
      `${cameraFile} has ${posed.length} cameras but '${dir}' holds ${pngs.length} PNG images; give one camera per image (in file-name order) or name each camera's image in the camera file.`,
    );
  }
  return pngs.map((f) => join(dir, f));
}

/** RGB in [0, 1] composited over black (the splat renderer's background), and the alpha if any. */
function splitImage(image: FloatImage): { rgb: Float32Array; alpha: Float32Array | null } {
  const { width, height, channels, data } = image;
  const n = width * height;
  const rgb = new Float32Array(n * 3);
  const alpha = channels === 2 || channels === 4 ? new Float32Array(n) : null;
  for (let p = 0; p < n; p++) {
    const a = alpha ? (alpha[p] = data[p * channels + channels - 1]) : 1;
    for (let c = 0; c < 3; c++) rgb[3 * p + c] = a * data[p * channels + (channels >= 3 ? c : 0)];
  }
  return { rgb, alpha };
}

/** A mask image as 0/1 (its alpha if it has one, else its first channel, thresholded at 0.5). */
function maskOf(image: FloatImage): Float32Array {
  const { channels, data } = image;
  const c = channels === 2 || channels === 4 ? channels - 1 : 0;
  const mask = new Float32Array(image.width * image.height);
  for (let p = 0; p < mask.length; p++) mask[p] = data[p * channels + c] > 0.5 ? 1 : 0;
  return mask;
}

function checkSize(image: FloatImage, file: string, camera: Camera, first: { file: string; width: number; height: number }): void {
  if (image.width !== first.width || image.height !== first.height) {
    throw new ShapeError(`'${file}' is ${image.width} x ${image.height} but '${first.file}' is ${first.width} x ${first.height}; give all images the same size.`);
  }
  if (image.width !== camera.width || image.height !== camera.height) {
    throw new ShapeError(`'${file}' is ${image.width} x ${image.height} but its camera says ${camera.width} x ${camera.height}; fix the camera file's width/height (or w/h).`);
  }
}

/** The least-squares point nearest to every camera's optical axis: where the cameras look. */
function lookAtPoint(cameras: readonly Camera[]): [number, number, number] {
  const A = new Float64Array(9),
    b = new Float64Array(3);
  for (const cam of cameras) {
    const c = cam.center,
      d = cam.forward;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const m = (i === j ? 1 : 0) - d[i] * d[j]; // I - d d^T
        A[i * 3 + j] += m;
        b[i] += m * c[j];
      }
    }
  }
  const det = (m: ArrayLike<number>) => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const D = det(A);
  if (Math.abs(D) < 1e-9 * cameras.length ** 3) {
    // all axes parallel (one camera): a point along the first axis, as far as that camera is from the origin
    const c = cameras[0].center,
      d = cameras[0].forward,
      s = Math.hypot(...c) || 1;
    return [c[0] + s * d[0], c[1] + s * d[1], c[2] + s * d[2]];
  }
  // Cramer's rule
  return [0, 1, 2].map((k) => {
    const m = Float64Array.from(A);
    for (let i = 0; i < 3; i++) m[i * 3 + k] = b[i];
    return det(m) / D;
  }) as [number, number, number];
}

/** A folder of images with its cameras and optional masks (PNG with an alpha channel gives the mask itself). */
export function folderTargets(dir: string, options: Pick<TargetOptions, 'cameras' | 'masks' | 'truth'>): FitTargets {
  const cameraFile = cameraFileOf(dir, options.cameras);
  const posed = readCameras(cameraFile);
  const files = imagePaths(dir, cameraFile, posed);
  if (options.masks !== null && !(existsSync(options.masks) && statSync(options.masks).isDirectory())) {
    throw new ArgumentError(`--masks: '${options.masks}' is not a folder; pass the folder holding one mask PNG per image, with the images' file names.`);
  }
  let first: { file: string; width: number; height: number } | null = null;
  const views: FitView[] = posed.map(({ camera }, i) => {
    const file = files[i];
    const image = readPng(file);
    first ??= { file, width: image.width, height: image.height };
    checkSize(image, file, camera, first);
    const { rgb, alpha } = splitImage(image);
    let mask: Float32Array | undefined = alpha ? maskOf(image) : undefined;
    if (options.masks !== null) {
      const maskFile = join(options.masks, basename(file));
      if (!existsSync(maskFile)) throw new ArgumentError(`--masks: no mask '${maskFile}' for image '${file}'; every image needs a mask of the same file name.`);
      const m = readPng(maskFile);
      checkSize(m, maskFile, camera, first);
      mask = maskOf(m);
    }
    const view: FitView = { camera, lights: defaultLights(camera, { seed: i }), target: tensor(rgb, { shape: [image.height, image.width, 3] }) };
    if (mask) view.mask = mask;
    return view;
  });
  const surface = options.truth === null ? null : samplePoints(meshOf(options.truth).mesh, TRUTH_POINTS, { seed: 2 });
  const truth = surface?.positions ?? null;
  let frame: { center: [number, number, number]; extent: number };
  if (truth) frame = frameOf(truth);
  else {
    // no known surface: centre where the cameras look; extent so that the object would fill about half of the average view
    const center = lookAtPoint(views.map((v) => v.camera));
    const reach = views.reduce((s, v) => s + (Math.hypot(...v.camera.center.map((x, k) => x - center[k])) * v.camera.height) / (2 * v.camera.fy), 0) / views.length;
    frame = { center, extent: 0.5 * reach };
  }
  return { kind: 'images', views, truth, truthNormals: surface?.normals ?? null, ...frame };
}

/** A bare built-in name is the built-in shape even if a folder of that name exists (write ./teapot for the folder). */
export function loadTargets(target: string, options: TargetOptions): FitTargets {
  const builtIn = (BUILT_IN_SHAPES as readonly string[]).includes(target);
  if (!builtIn && existsSync(target) && statSync(target).isDirectory()) return folderTargets(target, options);
  for (const [key, v] of [
    ['cameras', options.cameras],
    ['masks', options.masks],
    ['truth', options.truth],
  ] as const) {
    if (v !== null) throw new ArgumentError(`--${key} only applies to a folder of images; --target '${target}' is a shape or mesh (its cameras, masks and surface are made for it).`);
  }
  checkTarget(target);
  return meshTargets(target, options);
}

/** Throws the error loadTargets would for a target that is neither a built-in shape nor an existing file or folder (cheap: nothing is read). */
export function checkTarget(target: string): void {
  if ((BUILT_IN_SHAPES as readonly string[]).includes(target) || existsSync(target)) return;
  throw new ArgumentError(`--target: '${target}' is neither a built-in shape (${BUILT_IN_SHAPES.join(', ')}) nor an existing mesh file or image folder; check the path.`);
}
