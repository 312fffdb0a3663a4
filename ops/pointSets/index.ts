// Losses and metrics on point sets: Chamfer, EMD (auction and exact), F-score.
export { chamferLoss, nearestPairs, type ChamferOptions, type ChamferReduction, type NearestPairs } from './chamfer.js';
export { chamferLossReference } from './chamferReference.js';
export { fScore, type FScoreResult } from './fScore.js';
export { emdLoss, assignedDistance, EMD_TRAINING, EMD_EVALUATION, type EmdOptions, type EmdResult } from './emd.js';
export { emdLossReference, exactAssignment, EXACT_EMD_LIMIT } from './emdReference.js';
export { hungarian } from './hungarian.js';
export { auction, type AuctionResult } from './auction.js';
