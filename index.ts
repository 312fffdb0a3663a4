// splatgrad: differentiable point splatting in pure TypeScript.
export { Tensor, type BackwardOptions } from './lib/tensor.js';
export { tensor, fromArray, zeros, ones, full, scalar, arange, randn, rand, type TensorOptions, type TensorLike } from './lib/create.js';
export type { DType, FloatArray } from './lib/dtype.js';
export { backward, noGrad, enableGrad, isGradEnabled, type TapeNode } from './lib/tape.js';
export { customOp, type OpSpec, type ForwardContext, type BackwardContext } from './lib/customOp.js';
export { customOpAsync, type AsyncOpSpec } from './lib/customOp.js';
export { backwardAsync } from './lib/tape.js';
export { gradcheck, type GradcheckOptions, type GradcheckReport } from './lib/gradcheck.js';
export { Random } from './lib/random.js';
export * from './lib/errors.js';
export * from './ops/index.js';
export * from './optim/index.js';
export * from './geometry/index.js';
export { ewaSplat, ewaSplatViews, type SplatRender, type SplatCall } from './ops/splat/ewaSplat.js';
export { ewaSplatReference } from './ops/splat/ewaSplatReference.js';
export { ewaSplatAsync, defaultSplatGpu, SPLAT_DEVICES, type AsyncSplatCall, type SplatDevice } from './ops/splat/ewaSplatAsync.js';
export { SplatGpu, requestSplatGpu } from './ops/splat/webgpu/gpuSplat.js';
export type { GpuEntry, GpuHost, GpuSplatOptions, GpuSplatRender, RequestGpuOptions } from './ops/splat/webgpu/types.js';
export type { SplatOptions, ResolvedSplatOptions } from './ops/splat/options.js';
export { type SplatCache, countOccluded } from './ops/splat/splatCache.js';
export * from './ops/silhouette/index.js';

export { sphereTrace, type SphereTraceRender, type SphereTraceCall, type TracePose } from './ops/sphereTracing/sphereTrace.js';
export { sphereTraceReference } from './ops/sphereTracing/sphereTraceReference.js';
export type { SphereTraceOptions, NormalMode } from './ops/sphereTracing/options.js';
export * as sdf from './ops/sphereTracing/sdf/index.js';
export { Sdf, type PlainSdf } from './ops/sphereTracing/sdf/sdf.js';
export { depthL1, silhouetteHinge, normalCosine, latentL2 } from './ops/sphereTracing/losses.js';
export { fitSdfPose, type SdfPoseOptions, type SdfPoseTarget, type SdfPoseResult } from './optim/sdfPose.js';
export { perturbPose, poseError, modelSize, meanAndIqr, type ObjectPose, type PoseError } from './optim/poseRecovery.js';

export { closePool, poolSize, startPool } from './parallel/workerPool.js';
export { releaseScratch } from './parallel/scratch.js';
export { defaultThreads, resolveThreads } from './parallel/threads.js';

// the 3-D learning toolbox: nn modules, the fused linear op, point-set losses, marching cubes
export * from './nn/index.js';
export { linear, type LinearOptions } from './ops/linear/linear.js';
export { linearReference } from './ops/linear/linearReference.js';
export { matmulBlocked } from './ops/linear/matmulBlocked.js';
export { ACTIVATIONS, type Activation, softplus } from './ops/linear/activation.js';
export * from './ops/pointSets/index.js';

// Fuzzy Metaballs: the renderer, its twin, conversions, pose estimation and shape from silhouette (docs/fm.md)
export { fuzzyMetaballs } from './ops/metaballs/fuzzyMetaballs.js';
export { fuzzyMetaballsReference } from './ops/metaballs/fuzzyMetaballsReference.js';
export {
  DEFAULT_BETAS,
  PAPER_BETAS,
  metaballScale,
  metaballTensors,
  type Betas,
  type MetaballOptions,
  type MetaballPose,
  type MetaballRender,
  type Metaballs,
  type ResolvedMetaballOptions,
} from './ops/metaballs/options.js';
