// What every reconstruction method supplies to the one fit driver (cli/fit/runFit.ts, and the
// `eval` and `compare` commands): its settings, how it starts from the target views, one
// optimization step, and how it exports what it has as a point cloud (and a mesh, where it has
// one). The driver owns everything else: targets, cameras, masks, the step loop, progress,
// checkpoints, wall budget, Ctrl-C, metrics and the output files. Adding a method adds one file
// under optim/methods/ and one line in optim/methods/index.ts.

import type { Camera } from '../geometry/camera.js';
import type { Light } from '../geometry/lights.js';
import type { Mesh } from '../geometry/mesh.js';
import type { Tensor } from '../lib/tensor.js';
import type { SplatDevice } from '../ops/splat/ewaSplatAsync.js';
import type { SplatGpu } from '../ops/splat/webgpu/gpuSplat.js';
import type { Settings } from './settings.js';

/** One target view: a camera with what it saw. */
export interface FitView {
  camera: Camera;
  /** Target image [H, W, 3] at the camera's size. */
  target: Tensor;
  /** Lights the target was lit with (a shading renderer lights its render with the same). */
  lights: readonly Light[];
  /** Optional silhouette [H * W] (1 inside the object). */
  mask?: ArrayLike<number>;
  /** Optional camera depth [H * W] (0 off the object): mesh targets have it, photos do not. */
  depth?: ArrayLike<number>;
}

/** The views a method fits, and where the object is. */
export interface FitScene {
  /** A built-in shape or a mesh rendered here (targets lit white), or a folder of photos. */
  kind: 'shape' | 'mesh' | 'images';
  views: readonly FitView[];
  /** Centre of the object and its largest bounding-box half-side (scene units): of the mesh, or for photos of the region inside every mask (a guess from the cameras without masks). */
  center: readonly [number, number, number];
  extent: number;
}

/** The driver's side of a run that a method may read. */
export interface FitContext {
  /** The step budget (a method may schedule by it: windows, learning rates). */
  iterations: number;
  seed: number;
  threads: number;
  /** Where the method renders (default 'cpu'); 'webgpu' only for methods whose `devices` list it. */
  device?: SplatDevice;
  /** The GPU of device 'webgpu', requested by the driver before the start. */
  gpu?: SplatGpu;
}

/** A method's shape as points: positions, and normals and colours where the method has them. */
export interface FitCloud {
  positions: Float32Array | Float64Array;
  normals: Float32Array | Float64Array | null;
  colors: Float32Array | null;
}

/** Why a method ended a run before the budget. */
export type MethodStop = 'threshold' | 'converged';

/** A running fit of one method. */
export interface FitSession {
  /** Runs step `step` (0-based) and returns its loss (the number the progress and the loss curve show). */
  step(step: number): number;
  /** The same, asynchronously: a session on the GPU has it (and its `step` throws); the driver prefers it. */
  stepAsync?(step: number): Promise<number>;
  /** Non-null once the method wants to stop. */
  stopped?(): MethodStop | null;
  /** The current shape as points (result.ply, checkpoints, metrics). */
  cloud(): FitCloud;
  /** The current shape as a mesh, for methods that have one. */
  mesh?(): Mesh | null;
  /** The current shape seen from `view`, RGB [H * W * 3] in [0, 1], for the contact sheets. */
  preview(view: FitView): Float32Array;
  /**
   * The current shape's silhouette seen by `camera`, H * W in [0, 1] (the metric of `compare`).
   * Optional: without it the shape's mesh is rasterized, or its cloud splatted white
   * (optim/methods/silhouette.ts).
   */
  silhouette?(camera: Camera): Float32Array;
  /** Extra fields for summary.json. */
  summary?(): Record<string, unknown>;
  /** Point sets the method passed through that are worth measuring, by name (the driver reports `<name>Chamfer`): e.g. the visual hull it started from. */
  surfaces?(): Record<string, Float32Array | Float64Array>;
  /** Writes the method's own files into `dir` (e.g. its parameters as JSON); returns their names. */
  writeFiles?(dir: string): string[];
}

/** A reconstruction method: settings `S` and how to start a session. */
export interface FitMethod<S = Record<string, unknown>> {
  name: string;
  /** One line for `--help`. */
  summary: string;
  settings: Settings<S>;
  /** The driver's step budget when the user gives none. */
  iterations: number;
  /** Views rendered of shape and mesh targets when the user gives no count (default TARGET_DEFAULTS.views, 12). */
  views?: number;
  /** Devices the method can render on (default: only 'cpu'). */
  devices?: readonly SplatDevice[];
  start(scene: FitScene, settings: S, context: FitContext): FitSession;
}
