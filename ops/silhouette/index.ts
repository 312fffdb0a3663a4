// DRWR's projective losses (docs/drwr.md) and the bilinear sampling op they share.
export { sampleImage, type SampleImageOptions, type SamplePadding } from './sampleImage.js';
export { smoothSilhouette, boundaryBias, SMOOTH_SILHOUETTE_EDGE, BOUNDARY_RINGS } from './silhouetteImages.js';
export { structureAwareRepulsion, structureAwareRepulsionViews, REPULSION_CUTOFF, type StructureRepulsionOptions, type RepulsionView } from './repulsion.js';
export { structureAwareRepulsionReference, structureAwareRepulsionViewsReference } from './repulsionReference.js';
export { drwrLoss, DrwrView, DRWR_BETA, type DrwrLossOptions, type DrwrTerms, type DrwrViewOptions } from './drwr.js';
export { drwrLossReference } from './drwrReference.js';
