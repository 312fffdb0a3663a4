// The tracer's options and their defaults (docs/dist.md §3-5). The marching numbers are the DIST
// reference's: ratio 1.5, steps clamped to +-0.1, threshold 5e-5, 50 steps, the pyramid 4-2-1
// with 3 steps at each coarse level, rays entering at the unit sphere.

import { ArgumentError } from '../../lib/errors.js';
import { resolveThreads } from '../../parallel/threads.js';

export type NormalMode = 'none' | 'analytic' | 'centralDifferences';

export interface SphereTraceOptions {
  /** Most marching steps a ray takes, counting its coarse ancestors' (default 50). */
  steps?: number;
  /** Aggressive marching: each step forward moves ratio x the clamped distance (default 1.5); a step back from inside moves f itself (eq. 14). */
  ratio?: number;
  /** Each step's distance is clamped to +-maxStep before the ratio (default 0.1). */
  maxStep?: number;
  /**
   * Where f exceeds ratio x maxStep, step by f itself (the plain sphere-tracing step, safe when f
   * never exceeds the distance to the surface) instead of the clamped ratio x maxStep (eq. 14b),
   * at the last pyramid level (a coarse ray's long step could carry its children past a surface).
   * Default: on for SDFs that say they are such bounds (analytic trees), off for networks and
   * function SDFs; false gives the reference's marching everywhere.
   */
  exactSteps?: boolean;
  /** A ray has converged once |f| < threshold (default 5e-5). */
  threshold?: number;
  /** Radius of the bounding sphere around the origin that holds the shape (default 1). */
  boundingRadius?: number;
  /** Coarse-to-fine scales, coarsest first, ending in 1 (default [4, 2, 1]; [1]: no pyramid). */
  pyramid?: readonly number[];
  /** Steps at each coarse level before its rays split in four (default 3). */
  stepsPerLevel?: number;
  /**
   * Normal image: 'none' (default), 'analytic' (the SDF's exact gradient, a constant of the tape:
   * no gradient flows through it) or 'centralDifferences' (eq. 15, on the tape, differentiable).
   */
  normals?: NormalMode;
  /** Step of the central differences (default 1e-3). */
  normalStep?: number;
  /** Refinement of the minimum along a ray that misses (eq. 18): iterations (default 1; 0 keeps the sampled minimum, as the reference). */
  refineIterations?: number;
  /** ... for misses whose sampled minimum is below this (default 0.05: rays near the silhouette; Infinity: every miss). */
  refineBelow?: number;
  /** Floor of -(grad f . v) in the implicit depth weight (eq. 20), against grazing hits (default 0.05). */
  minCosine?: number;
  /** Threads (default: every core); results are the same bits for any count. */
  threads?: number;
}

export interface ResolvedTraceOptions {
  steps: number;
  ratio: number;
  maxStep: number;
  /** null: decided by the SDF (Sdf.distanceBound). */
  exactSteps: boolean | null;
  threshold: number;
  boundingRadius: number;
  pyramid: number[];
  stepsPerLevel: number;
  normals: NormalMode;
  normalStep: number;
  refineIterations: number;
  refineBelow: number;
  minCosine: number;
  threads: number;
}

export const TRACE_DEFAULTS = {
  steps: 50,
  ratio: 1.5,
  maxStep: 0.1,
  exactSteps: null,
  threshold: 5e-5,
  boundingRadius: 1,
  pyramid: [4, 2, 1],
  stepsPerLevel: 3,
  normals: 'none',
  normalStep: 1e-3,
  refineIterations: 1,
  refineBelow: 0.05,
  minCosine: 0.05,
} as const;

const KNOWN = new Set([...Object.keys(TRACE_DEFAULTS), 'threads', 'pose']);

function positive(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ArgumentError(`sphereTrace: options.${name} must be a finite number > 0, got ${JSON.stringify(v)}.`);
  return v;
}

function integer(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ArgumentError(`sphereTrace: options.${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}.`);
  return v;
}

function resolveExactSteps(v: unknown): boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw new ArgumentError(`sphereTrace: options.exactSteps must be true or false, got ${JSON.stringify(v)}.`);
  return v;
}

export function resolveTraceOptions(options: SphereTraceOptions & Record<string, unknown>): ResolvedTraceOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new ArgumentError(`sphereTrace: unknown option '${key}'; the options are ${[...KNOWN].join(', ')}.`);
  }
  const d = TRACE_DEFAULTS;
  const pyramid = options.pyramid === undefined ? [...d.pyramid] : Array.from(options.pyramid);
  if (pyramid.length === 0 || pyramid[pyramid.length - 1] !== 1 || pyramid.some((s, i) => !Number.isInteger(s) || s < 1 || (i > 0 && pyramid[i - 1] !== 2 * s))) {
    throw new ArgumentError(`sphereTrace: options.pyramid must halve from level to level down to 1, such as [4, 2, 1] or [1]; got ${JSON.stringify(options.pyramid)}.`);
  }
  const normals = options.normals ?? d.normals;
  if (normals !== 'none' && normals !== 'analytic' && normals !== 'centralDifferences') {
    throw new ArgumentError(`sphereTrace: options.normals must be 'none', 'analytic' or 'centralDifferences', got ${JSON.stringify(normals)}.`);
  }
  const refineBelow = options.refineBelow ?? d.refineBelow;
  if (typeof refineBelow !== 'number' || Number.isNaN(refineBelow))
    throw new ArgumentError(`sphereTrace: options.refineBelow must be a number (Infinity for every miss), got ${JSON.stringify(refineBelow)}.`);
  const minCosine = options.minCosine ?? d.minCosine;
  if (typeof minCosine !== 'number' || !(minCosine > 0 && minCosine <= 1)) throw new ArgumentError(`sphereTrace: options.minCosine must be in (0, 1], got ${JSON.stringify(minCosine)}.`);
  return {
    steps: integer(options.steps ?? d.steps, 'steps', 1, 100_000),
    ratio: positive(options.ratio ?? d.ratio, 'ratio'),
    maxStep: positive(options.maxStep ?? d.maxStep, 'maxStep'),
    exactSteps: resolveExactSteps(options.exactSteps),
    threshold: positive(options.threshold ?? d.threshold, 'threshold'),
    boundingRadius: positive(options.boundingRadius ?? d.boundingRadius, 'boundingRadius'),
    pyramid,
    stepsPerLevel: integer(options.stepsPerLevel ?? d.stepsPerLevel, 'stepsPerLevel', 1, 100_000),
    normals,
    normalStep: positive(options.normalStep ?? d.normalStep, 'normalStep'),
    refineIterations: integer(options.refineIterations ?? d.refineIterations, 'refineIterations', 0, 100),
    refineBelow,
    minCosine,
    threads: resolveThreads(options.threads, 'sphereTrace: options.threads'),
  };
}
