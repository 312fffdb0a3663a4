// Surface regularization (docs/dss.md §4, eq. 15-18): neighbourhoods, PCA weights, weighted PCA,
// repulsion and projection losses, and their eq. 8 combination.
export { buildNeighborhood, NeighborhoodSchedule, type Neighborhood, type NeighborhoodOptions, type NeighborLists } from './neighborhood.js';
export { pcaWeights, type PcaWeightOptions } from './pcaWeights.js';
export { symmetricEigen3 } from './symmetricEigen3.js';
export { weightedPca, type WeightedPcaOptions, type WeightedPcaResult } from './weightedPca.js';
export { repulsionLoss, REPULSION_EPSILON, type RepulsionOptions } from './repulsion.js';
export { projectionLoss } from './projection.js';
export { surfaceRegularization, DEFAULT_PROJECTION_WEIGHT, DEFAULT_REPULSION_WEIGHT, type SurfaceRegularization, type SurfaceRegularizationOptions } from './surfaceRegularization.js';
export { pcaWeightsReference, projectionLossReference, repulsionLossReference } from './regularizersReference.js';
