// The textbook twin of drwr.ts: eq. 6 with every pair of points in the repulsion
// (repulsionReference.ts, tape ops), for specs and for reading. O(N^2) per view.

import type { Tensor } from '../../lib/tensor.js';
import { type DrwrLossOptions, type DrwrTerms, type DrwrView, drwrTerms } from './drwr.js';
import { structureAwareRepulsionViewsReference } from './repulsionReference.js';

/** drwrLoss with the O(N^2) repulsion twin (same arguments, same value to rounding). */
export function drwrLossReference(points: Tensor, views: readonly DrwrView[], options: DrwrLossOptions): DrwrTerms {
  return drwrTerms(points, views, options, structureAwareRepulsionViewsReference, 'drwrLossReference');
}
