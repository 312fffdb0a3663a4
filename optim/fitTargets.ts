// What `splatgrad fit` fits to: target images with their cameras and lights.
// - a built-in shape or a mesh file: ground truth rendered by the triangle rasterizer from views
//   spread over a sphere (geometry/views.ts), each at the distance where the whole mesh spans 80%
//   of its frame (framed by its vertices, as any shape needs: a radius guess cuts off a cube's
//   corners), default lights per view; the true surface is known;
// - a folder of images with a camera file (our JSON or transforms.json, told apart by content;
//   docs/cameras.md) and optional masks; images named in the file are looked for in the folder.
//   The renders are shaded with each camera's default lights (geometry/lights.ts, seed = view index).
//   The object's place and size (where a method starts) come from the masks when there are any.
// Everything is read and checked here, before the loop starts.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Camera } from '../geometry/camera.js';
import { type PosedView, parseCameraFile, parseTransformsJson } from '../geometry/cameraFile.js';
import type { FloatImage } from '../geometry/image.js';
import { defaultLights } from '../geometry/lights.js';
import { BUILT_IN_SHAPES, type BuiltInShape, builtInShape, readMeshFile } from '../geometry/loadMesh.js';
import { boundingBox, type Mesh } from '../geometry/mesh.js';
import { flatShaded } from '../geometry/shapes/vertexNormals.js';
import { readPng } from '../geometry/png.js';
import { rasterizeMesh } from '../geometry/rasterize.js';
import { samplePoints } from '../geometry/sampling.js';
import { silhouetteBounds } from '../geometry/silhouetteBounds.js';
import { fibonacciViews } from '../geometry/views.js';
import { tensor } from '../lib/create.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { closestName } from '../lib/suggest.js';
import type { FitView } from './fitMethod.js';

export interface FitTargets {
  kind: 'shape' | 'mesh' | 'images';
  views: FitView[];
  /** Points on the true surface (for Chamfer and Hausdorff), or null when unknown. */
  truth: Float64Array | null;
  /** The true surface's normals at those points. */
  truthNormals: Float64Array | null;
  /**
   * Where the initial sphere goes: the centre of the object and its largest bbox half-side (of
   * the mesh; for photos, of the region inside every mask, or a guess from the cameras without masks).
   */
  center: [number, number, number];
  extent: number;
}

/** Image side and view count a shape or mesh target is rendered at by default. */
export const TARGET_DEFAULTS = { size: 128, views: 12 } as const;

export interface TargetOptions {
  size: number;
  views: number;
  /** Shade a shape or mesh target flat (each triangle its own normal) instead of by its vertex normals. */
  flat?: boolean;
  cameras: string | null;
  masks: string | null;
  truth: string | null;
}

/** Points sampled on the true surface for the metrics. */
const TRUTH_POINTS = 20000;

function meshOf(target: string, flat = false): { mesh: Mesh; kind: 'shape' | 'mesh' } {
  if ((BUILT_IN_SHAPES as readonly string[]).includes(target)) {
    const mesh = builtInShape(target as BuiltInShape);
    return { mesh: flat ? flatShaded(mesh) : mesh, kind: 'shape' };
  }
  const mesh = readMeshFile(target, '--target');
  if (mesh.faces.length === 0) throw new ArgumentError(`--target '${target}' has no faces; a target mesh needs triangles to render (a point cloud belongs in --init).`);
  // without normals of its own (vn, or nx ny nz) a file is shaded smooth, unless asked for flat
  return { mesh: flat ? flatShaded(mesh) : mesh, kind: 'mesh' };
}

function frameOf(positions: Float64Array): { center: [number, number, number]; extent: number } {
  const b = boundingBox(positions);
  const extent = Math.max(...[0, 1, 2].map((k) => (b.max[k] - b.min[k]) / 2), 1e-6);
  return { center: b.center, extent };
}

/** A shape or mesh rendered from `views` cameras around it. */
export function meshTargets(target: string, options: Pick<TargetOptions, 'size' | 'views' | 'flat'>): FitTargets {
  const { mesh, kind } = meshOf(target, options.flat);
  const { center, extent } = frameOf(mesh.positions);
  const { size } = options;
  const cameras = fibonacciViews(options.views, { points: mesh.positions, target: center, width: size, height: size });
  const views: FitView[] = cameras.map((camera, i) => {
    const lights = defaultLights(camera, { seed: i });
    const r = rasterizeMesh(mesh, camera, { lights });
    return { camera, lights, mask: r.alpha.data, depth: r.depth.data, target: tensor(r.color.data, { shape: [size, size, 3] }) };
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

/** The camera file's JSON, its kind (by content, whatever its name) and each entry's image name. */
function cameraEntries(file: string): { text: string; kind: 'transforms' | 'cameras'; entry: string; names: (string | undefined)[] } {
  const text = readFileSync(file, 'utf8');
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(`${file}: not valid JSON (${(e as Error).message}); fix the syntax.`);
  }
  const list = (key: string) => (root as Record<string, unknown>)[key];
  const isObject = root !== null && typeof root === 'object' && !Array.isArray(root);
  if (isObject && Array.isArray(list('frames'))) {
    return { text, kind: 'transforms', entry: 'frames', names: (list('frames') as unknown[]).map((f) => imageName(f, 'file_path')) };
  }
  if (isObject && Array.isArray(list('cameras'))) {
    return { text, kind: 'cameras', entry: 'cameras', names: (list('cameras') as unknown[]).map((c) => imageName(c, 'image')) };
  }
  throw new ArgumentError(`${file} is neither a transforms.json (a "frames" list) nor a splatgrad camera file (a "cameras" list); see docs/cameras.md for both formats.`);
}

const imageName = (entry: unknown, key: string): string | undefined => {
  const v = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * The image of each camera: its named file, looked for in the target folder and then beside the
 * camera file, as written or with '.png' added (transforms.json often leaves it out); when no
 * camera names one, the folder's PNGs in file-name order.
 */
function imagePaths(dir: string, cameraFile: string, entry: string, names: (string | undefined)[]): string[] {
  const named = names.filter((n) => n !== undefined).length;
  if (named === names.length) {
    const key = entry === 'frames' ? 'file_path' : 'image';
    return names.map((name, i) => {
      const tried: string[] = [];
      for (const base of [dir, dirname(cameraFile)]) {
        const path = resolve(base, name!);
        for (const candidate of extname(path) === '' ? [path, `${path}.png`] : [path]) {
          if (tried.includes(candidate)) continue;
          if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
          tried.push(candidate);
        }
      }
      const where = tried.filter((t) => extname(t) !== '' || !tried.includes(`${t}.png`));
      throw new ArgumentError(`${cameraFile}: ${entry}[${i}]: the image '${name}' is not at ${where.map((t) => `'${t}'`).join(' nor ')}; fix its "${key}" or add the image to '${dir}'.`);
    });
  }
  if (named > 0) throw new ArgumentError(`${cameraFile}: ${named} of ${names.length} ${entry} name their image; name every camera's image, or none (then the folder's PNGs go in file-name order).`);
  const pngs = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort();
  if (pngs.length !== names.length) {
    throw new ArgumentError(
      `${cameraFile} has ${names.length} cameras but '${dir}' holds ${pngs.length} PNG images; give one camera per image (in file-name order) or name each camera's image in the camera file.`,
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
  const { text, kind, entry, names } = cameraEntries(cameraFile);
  if (names.length === 0) throw new ArgumentError(`${cameraFile} lists no cameras; add one per image.`);
  const files = imagePaths(dir, cameraFile, entry, names);
  if (options.masks !== null && !(existsSync(options.masks) && statSync(options.masks).isDirectory())) {
    throw new ArgumentError(`--masks: '${options.masks}' is not a folder; pass the folder holding one mask PNG per image, with the images' file names.`);
  }
  // a transforms.json may leave the image size out (the NeRF synthetic scenes do): the images have it
  const firstImage = readPng(files[0]);
  const { width, height } = firstImage;
  const posed: PosedView[] = kind === 'transforms' ? parseTransformsJson(text, cameraFile, { width, height }) : parseCameraFile(text, cameraFile);
  let first: { file: string; width: number; height: number } | null = null;
  const views: FitView[] = posed.map(({ camera }, i) => {
    const file = files[i];
    const picture = i === 0 ? firstImage : readPng(file);
    first ??= { file, width: picture.width, height: picture.height };
    checkSize(picture, file, camera, first);
    const { rgb, alpha } = splitImage(picture);
    let mask: Float32Array | undefined = alpha ? maskOf(picture) : undefined;
    if (options.masks !== null) {
      const maskFile = join(options.masks, basename(file));
      if (!existsSync(maskFile)) throw new ArgumentError(`--masks: no mask '${maskFile}' for image '${file}'; every image needs a mask of the same file name.`);
      const m = readPng(maskFile);
      checkSize(m, maskFile, camera, first);
      mask = maskOf(m);
    }
    const view: FitView = { camera, lights: defaultLights(camera, { seed: i }), target: tensor(rgb, { shape: [picture.height, picture.width, 3] }) };
    if (mask) view.mask = mask;
    return view;
  });
  const surface = options.truth === null ? null : samplePoints(meshOf(options.truth).mesh, TRUTH_POINTS, { seed: 2 });
  const truth = surface?.positions ?? null;
  // the photos place the start, --truth or not: the true surface is for measuring the fit only
  return { kind: 'images', views, truth, truthNormals: surface?.normals ?? null, ...photoFrame(views) };
}

/**
 * Where the object of a folder of photos is: with masks, the box of the region inside every
 * silhouette (geometry/silhouetteBounds.ts); without, centred where the cameras look, with an
 * extent that would fill about half of the average view.
 */
function photoFrame(views: readonly FitView[]): { center: [number, number, number]; extent: number } {
  const center = lookAtPoint(views.map((v) => v.camera));
  // half the frame's height at the look-at point, averaged over the views
  const reach = views.reduce((s, v) => s + (Math.hypot(...v.camera.center.map((x, k) => x - center[k])) * v.camera.height) / (2 * v.camera.fy), 0) / views.length;
  const hull = silhouetteBounds(views, center, 1.5 * reach);
  return hull ? { center: hull.center, extent: hull.extent } : { center, extent: 0.5 * reach };
}

/** A bare built-in name is the built-in shape even if a folder of that name exists (write ./teapot for the folder). */
export function loadTargets(target: string, options: TargetOptions): FitTargets {
  const builtIn = (BUILT_IN_SHAPES as readonly string[]).includes(target);
  if (!builtIn && existsSync(target) && statSync(target).isDirectory()) {
    if (options.flat) throw new ArgumentError(`--flat only applies to a shape or mesh target; '${target}' is a folder of photos (they are shaded as they were taken).`);
    return folderTargets(target, options);
  }
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
  const best = /^[\w-]+$/.test(target) ? closestName(target, BUILT_IN_SHAPES) : null;
  throw new ArgumentError(
    `--target: '${target}' is neither a built-in shape (${BUILT_IN_SHAPES.join(', ')}) nor an existing mesh file or image folder; ${best ? `did you mean '${best}'?` : 'check the path.'}`,
  );
}
