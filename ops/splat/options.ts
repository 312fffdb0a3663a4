// Options of the EWA splat renderer and their defaults (docs/dss.md §2). The defaults are chosen so
// that renders of the demo objects are hole-free; spec/ops/splat/holeFree.spec.ts holds them to it.

import { ArgumentError } from '../../lib/errors.js';
import { resolveThreads } from '../../parallel/threads.js';

export interface SplatOptions {
  /** Object-space std of every splat (scene units). Default: `sigmaScale` x mean 6-NN spacing of the points. */
  sigma?: number;
  /** Multiplies the measured spacing when `sigma` is not given (default 1). */
  sigmaScale?: number;
  /** Truncation: rho = 0 where 1/2 d^T M^-1 d > cutoff (eq. 4/5). Default 2 (about 2 std). */
  cutoff?: number;
  /** How many front-most splats each pixel keeps (A, eq. 5). Default 5. */
  frontCount?: number;
  /** Merge threshold T (scene units): splats more than T behind the front one are occluded. Default 1% of the bbox diagonal... see DEFAULT_MERGE_FRACTION. */
  mergeThreshold?: number;
  /** Value of pixels no splat covers, one per channel (default 0). */
  background?: number | readonly number[];
  /** Drop splats whose normal faces away from the camera: n . view < cullThreshold (default true). */
  backfaceCulling?: boolean;
  /** The n . view limit of backface culling (default 0.05, the reference value). */
  cullThreshold?: number;
  /** 'error' (default): a point at or behind the camera's near plane throws; 'cull': it is skipped. */
  behindCamera?: 'error' | 'cull';
  /** Side of the pixel window the artificial gradient scans around each splat (default 16; 0 turns it off). */
  window?: number;
  /** Threads for the forward and backward (default: every core; results are identical for any count). */
  threads?: number;
}

export interface ResolvedSplatOptions {
  sigma: number;
  cutoff: number;
  frontCount: number;
  mergeThreshold: number;
  background: number[];
  backfaceCulling: boolean;
  cullThreshold: number;
  behindCamera: 'error' | 'cull';
  window: number;
  threads: number;
}

/** Default side of the square pixel window the artificial gradient scans around each splat. */
export const DEFAULT_WINDOW = 16;
export const DEFAULT_CUTOFF = 2;
export const DEFAULT_FRONT_COUNT = 5;
export const DEFAULT_CULL_THRESHOLD = 0.05;
/** Merge threshold as a fraction of the bounding-box diagonal (patent: 1%). */
export const DEFAULT_MERGE_FRACTION = 0.01;

function positive(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ArgumentError(`options.${name} must be a positive finite number, got ${String(v)}.`);
  return v;
}

/**
 * Fills in defaults. `measured` supplies what depends on the cloud: its spacing (for sigma)
 * and its bbox diagonal (for the merge threshold).
 */
export function resolveSplatOptions(options: SplatOptions, channels: number, measured: () => { spacing: number; diagonal: number }): ResolvedSplatOptions {
  let m: { spacing: number; diagonal: number } | null = null;
  const measure = () => (m ??= measured());
  const sigma = options.sigma !== undefined ? positive(options.sigma, 'sigma') : positive(options.sigmaScale ?? 1, 'sigmaScale') * measure().spacing;
  const cutoff = options.cutoff !== undefined ? positive(options.cutoff, 'cutoff') : DEFAULT_CUTOFF;
  const frontCount = options.frontCount ?? DEFAULT_FRONT_COUNT;
  if (!Number.isInteger(frontCount) || frontCount < 1 || frontCount > 64) throw new ArgumentError(`options.frontCount must be an integer in 1..64, got ${frontCount}.`);
  const mergeThreshold = options.mergeThreshold !== undefined ? positive(options.mergeThreshold, 'mergeThreshold') : DEFAULT_MERGE_FRACTION * measure().diagonal;
  const bg = options.background ?? 0;
  const background = typeof bg === 'number' ? new Array<number>(channels).fill(bg) : Array.from(bg);
  if (background.length !== channels || background.some((v) => !Number.isFinite(v))) {
    throw new ArgumentError(`options.background must be a finite number or ${channels} finite numbers (one per attribute channel), got ${JSON.stringify(bg)}.`);
  }
  const cullThreshold = options.cullThreshold ?? DEFAULT_CULL_THRESHOLD;
  if (!Number.isFinite(cullThreshold) || Math.abs(cullThreshold) >= 1) throw new ArgumentError(`options.cullThreshold must be in (-1, 1), got ${cullThreshold}.`);
  const behindCamera = options.behindCamera ?? 'error';
  if (behindCamera !== 'error' && behindCamera !== 'cull') throw new ArgumentError(`options.behindCamera must be 'error' or 'cull', got ${JSON.stringify(behindCamera)}.`);
  const window = options.window ?? DEFAULT_WINDOW;
  if (!Number.isFinite(window) || window < 0) throw new ArgumentError(`options.window must be a non-negative number of pixels (0 turns the artificial gradient off), got ${window}.`);
  const threads = resolveThreads(options.threads);
  return { sigma, cutoff, frontCount, mergeThreshold, background, backfaceCulling: options.backfaceCulling ?? true, cullThreshold, behindCamera, window, threads };
}
