// The inverse-rendering loop (docs/dss.md §5): from target images and
// their cameras to an oriented point cloud. Loss per eq. 8: the image loss over a batch of views
// plus gamma_p projection + gamma_r repulsion. Positions and normals are optimized independently,
// alternating T_n normal steps and T_p position steps per cycle.
//
// The loop is one generator (`fitSteps`) that yields after every step; `fitPointCloud` drives it
// straight through, `fitPointCloudAsync` hands the event loop back between steps so that a
// Ctrl-C handler (or a UI) can run while a long fit goes on. With device 'webgpu' the renders and
// their backward run on the GPU (engine.md §9): the same loop also yields their promises, which
// only the asynchronous drivers (`fitStepsAsync`, `fitPointCloudAsync`) await; on the CPU it
// yields none and runs as before.

import { ArgumentError, ShapeError } from '../lib/errors.js';
import type { FitView } from './fitMethod.js';
import { FIT_LOSSES, FIT_POINT_CLOUD_DEFAULTS, type FitInit, type FitLossKind, type FitOptions, type FitResult, type FitState } from './fitOptions.js';
import { pointCloudSteps } from './pointCloudSteps.js';
import { checkDevice, defaultSplatGpu } from '../ops/splat/ewaSplatAsync.js';
import type { SplatGpu } from '../ops/splat/webgpu/gpuSplat.js';

export type { FitView } from './fitMethod.js';
export * from './fitOptions.js';

function checkViews(views: readonly FitView[], loss: FitLossKind): void {
  if (!FIT_LOSSES.includes(loss)) throw new ArgumentError(`fitPointCloud: options.loss must be one of ${FIT_LOSSES.join(', ')}, got ${JSON.stringify(loss)}.`);
  if (!Array.isArray(views) || views.length === 0) throw new ArgumentError('fitPointCloud: views must be a non-empty array of { camera, target, lights }.');
  views.forEach((v, i) => {
    const { width, height } = v.camera;
    if (v.target.ndim !== 3 || v.target.shape[0] !== height || v.target.shape[1] !== width || v.target.shape[2] !== 3) {
      throw new ShapeError(`fitPointCloud: views[${i}].target is [${v.target.shape}] but its camera renders [${height}, ${width}, 3]; give every target its camera's size.`);
    }
    if (v.mask && v.mask.length !== width * height) throw new ShapeError(`fitPointCloud: views[${i}].mask has ${v.mask.length} values; it needs ${width * height} (${height} x ${width}).`);
    if (loss === 'silhouette' && !v.mask) throw new ArgumentError(`fitPointCloud: loss 'silhouette' needs a mask on every view; views[${i}] has none.`);
  });
}

/** Runs the whole fit synchronously (on the CPU; device 'webgpu' needs fitPointCloudAsync). */
export function fitPointCloud(init: FitInit, views: readonly FitView[], options: FitOptions = {}): FitResult {
  const steps = fitSteps(init, views, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** A turn of the event loop: setImmediate in Node, a zero timeout in a browser (which lacks it). */
const nextTurn = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Runs the fit, giving the event loop a turn after every step (so SIGINT handlers can set
 * `signal.aborted`); with device 'webgpu', on the GPU.
 */
export async function fitPointCloudAsync(init: FitInit, views: readonly FitView[], options: FitOptions = {}): Promise<FitResult> {
  if (checkDevice(options.device) === 'webgpu') {
    const steps = fitStepsAsync(init, views, options);
    for (;;) {
      const r = await steps.next();
      if (r.done) return r.value;
      await nextTurn();
    }
  }
  const steps = fitSteps(init, views, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await nextTurn();
  }
}

/** The loop as a generator (yields the step number after every step, returns the result), and the state it has reached. */
export type PointCloudSteps = Generator<number, FitResult, void> & {
  /** A copy of the current cloud (unit normals), as a checkpoint holds it. */
  state(): FitState;
  /** Why the loop will end at its next call ('budget' while it goes on): set before the step that decided it is handed out. */
  stopping(): FitResult['stopped'];
};

/** fitSteps with the splat op on the GPU: the same steps, each awaited. */
export type PointCloudStepsAsync = AsyncGenerator<number, FitResult, void> & {
  state(): FitState;
  stopping(): FitResult['stopped'];
};

/** The checks of fitSteps and fitStepsAsync, before the first step. */
function checkInputs(init: FitInit, views: readonly FitView[], options: FitOptions): void {
  const lossKind = options.loss ?? FIT_POINT_CLOUD_DEFAULTS.loss;
  checkViews(views, lossKind);
  if (!init?.normals) throw new ArgumentError('fitPointCloud: init.normals is missing; the initial cloud needs normals (samplePoints gives them).');
  const n = init.positions.length / 3;
  if (!Number.isInteger(n) || n < 1 || init.normals!.length !== init.positions.length) {
    throw new ShapeError('fitPointCloud: init.positions and init.normals must be flat xyz arrays of the same length (at least one point).');
  }
  if (options.learnColors && init.colors && init.colors.length !== 3 * n) throw new ShapeError(`fitPointCloud: init.colors has ${init.colors.length} values; it needs ${3 * n} (N x 3).`);
  const iterations = options.iterations ?? FIT_POINT_CLOUD_DEFAULTS.iterations;
  if (!Number.isInteger(iterations) || iterations < 1) throw new ArgumentError(`fitPointCloud: options.iterations must be a whole number >= 1, got ${iterations}.`);
}

/** The loop itself, on the CPU (optim/pointCloudSteps.ts). The inputs are checked here, before the first step. */
export function fitSteps(init: FitInit, views: readonly FitView[], options: FitOptions = {}): PointCloudSteps {
  if (checkDevice(options.device) === 'webgpu') throw new ArgumentError("fitPointCloud: device 'webgpu' runs asynchronously; use fitPointCloudAsync or fitStepsAsync.");
  checkInputs(init, views, options);
  const loop = pointCloudSteps(init, views, options, null);
  const steps = (function* (): Generator<number, FitResult, void> {
    for (;;) {
      const r = loop.next();
      if (r.done) return r.value;
      if (typeof r.value !== 'number') throw new Error('fitSteps: the CPU loop yielded GPU work'); // only the GPU loop does
      yield r.value;
    }
  })();
  return Object.assign(steps, { state: loop.state, stopping: loop.stopping });
}

/**
 * The loop with the splat op on the GPU for device 'webgpu' (for 'cpu', fitSteps' steps, awaited):
 * yields the step number after every step. The GPU is requested on the first step when
 * options.gpu is not given (a DeviceError when there is none). The inputs are checked here.
 */
export function fitStepsAsync(init: FitInit, views: readonly FitView[], options: FitOptions = {}): PointCloudStepsAsync {
  const device = checkDevice(options.device);
  checkInputs(init, views, options);
  const gpu: { gpu: SplatGpu | null } = { gpu: options.gpu ?? null };
  const loop = pointCloudSteps(init, views, options, device === 'webgpu' ? gpu : null);
  const steps = (async function* (): AsyncGenerator<number, FitResult, void> {
    if (device === 'webgpu') gpu.gpu ??= await defaultSplatGpu();
    let r = loop.next();
    for (;;) {
      if (r.done) return r.value;
      if (typeof r.value === 'number') {
        yield r.value;
        r = loop.next();
      } else r = loop.next(await r.value);
    }
  })();
  return Object.assign(steps, { state: loop.state, stopping: loop.stopping });
}
