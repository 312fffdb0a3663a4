// sphereTrace against its textbook twin: the same bits without the pyramid (the same samples,
// fused tape ops against generic ones), and the same images to the marching threshold with it.

import { expect } from 'chai';
import { Camera } from '../../../geometry/camera.js';
import { tensor } from '../../../lib/create.js';
import { backward } from '../../../lib/tape.js';
import type { Tensor } from '../../../lib/tensor.js';
import { capsule, roundedBox, sphere, torus } from '../../../ops/sphereTracing/sdf/primitives.js';
import { difference, union } from '../../../ops/sphereTracing/sdf/combine.js';
import { transform } from '../../../ops/sphereTracing/sdf/transform.js';
import { type SphereTraceCall, sphereTrace } from '../../../ops/sphereTracing/sphereTrace.js';
import { sphereTraceReference } from '../../../ops/sphereTracing/sphereTraceReference.js';
import { HIT } from '../../../ops/sphereTracing/rayBatch.js';

const f64 = { dtype: 'float64' as const };

function scene() {
  const r = tensor(0.3, { dtype: 'float64', requiresGrad: true });
  const move = tensor([0.1, -0.05, 0.05], { dtype: 'float64', requiresGrad: true });
  const sdf = difference(
    union(
      [
        roundedBox({ halfSize: [0.4, 0.25, 0.25], radius: 0.06, ...f64 }),
        sphere({ center: [0, 0.3, 0], radius: r }),
        transform(torus({ majorRadius: 0.35, minorRadius: 0.07, ...f64 }), { rotation: [1.3, 0, 0], translation: move }),
      ],
      { k: 0.06 },
    ),
    capsule({ a: [-0.6, 0, 0.05], b: [0.6, 0, 0.05], radius: 0.1, ...f64 }),
    { k: 0.02 },
  );
  const camera = Camera.lookAt({ eye: [1.1, 0.8, 2], target: [0, 0, 0], width: 48, height: 40, fovY: 45 });
  return { sdf, camera, params: [r, move] };
}

function gradients(trace: typeof sphereTrace, options: SphereTraceCall): { images: Tensor[]; grads: Float64Array[] } {
  const { sdf, camera, params } = scene();
  const out = trace(sdf, camera, { ...options, normals: 'centralDifferences' });
  const images = [out.depth, out.minSdf, out.normal!];
  backward(
    images,
    images.map((t) => Float64Array.from({ length: t.size }, (_, i) => Math.cos(0.7 * i))),
  );
  return { images, grads: params.map((p) => Float64Array.from(p.grad!.data)) };
}

describe('sphereTrace and sphereTraceReference', () => {
  it('agree to rounding without the pyramid (the same samples): images and gradients', () => {
    const a = gradients(sphereTrace, { threads: 1, pyramid: [1] });
    const b = gradients(sphereTraceReference, { pyramid: [1] });
    // the depth comes from the same marching; f is re-evaluated at points the two compute in
    // a different order (R^T (d q - t) against -t R + d q R)
    expect(Array.from(a.images[0].data)).to.deep.equal(Array.from(b.images[0].data));
    for (const k of [1, 2]) a.images[k].data.forEach((v, i) => expect(v).to.be.closeTo(b.images[k].data[i], 1e-12));
    a.grads.forEach((g, k) => g.forEach((v, e) => expect(v).to.be.closeTo(b.grads[k][e], 1e-9 * (1 + Math.abs(v)))));
  });

  it('agree to the marching threshold with the pyramid (coarse rays, converged ones dropped)', () => {
    const { sdf, camera } = scene();
    const fast = sphereTrace(sdf, camera, { threads: 1 });
    const twin = sphereTraceReference(sdf, camera);
    let both = 0,
      differ = 0,
      worst = 0;
    for (let p = 0; p < fast.hit.length; p++) {
      if (fast.hit[p] !== twin.hit[p]) {
        differ++;
        continue;
      }
      if (fast.state[p] !== HIT) continue;
      both++;
      worst = Math.max(worst, Math.abs(fast.depth.data[p] - twin.depth.data[p]));
    }
    expect(both).to.be.greaterThan(250);
    expect(differ, 'pixels hit by one and missed by the other (silhouette edges)').to.be.lessThan(0.01 * fast.hit.length);
    expect(worst).to.be.lessThan(1e-3);
    expect(fast.evaluations.march).to.be.lessThan(twin.evaluations.march / 4);
  });
});
