// Optimizers, gradient clipping and learning-rate schedules.
export { Optimizer, type BaseHyperparameters, type OptimizerStateDict, type ParamGroup, type ParamGroupSpec, type Params, type ParamState } from './optimizer.js';
export { SGD, type SGDHyperparameters, type SGDOptions } from './sgd.js';
export { Adam, type AdamHyperparameters, type AdamOptions } from './adam.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip.js';
export { ReduceLROnPlateau, StepLR, type HasParamGroups, type ReduceLROnPlateauOptions, type StepLROptions } from './schedules.js';
export {
  FIT_LOSSES,
  fitPointCloud,
  fitPointCloudAsync,
  fitSteps,
  type FitInit,
  type FitLossKind,
  type FitOptions,
  type FitResult,
  type FitState,
  type FitStep,
  type FitView,
} from './fitPointCloud.js';
export { fitStepsAsync, type PointCloudSteps, type PointCloudStepsAsync } from './fitPointCloud.js';
export { SlopePlateau, type SlopePlateauOptions } from './slopePlateau.js';
export { estimatePose, POSE_DEFAULTS, type EstimatePoseOptions, type PoseEstimate, type PoseStart, type PoseTarget } from './fitPose.js';
export { MetaballSilhouetteFit, SFS_DEFAULTS, silhouetteError, underSegment, type FitMetaballsOptions, type SilhouetteView } from './fitMetaballs.js';
