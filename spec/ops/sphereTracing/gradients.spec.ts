// The tracer's gradient (docs/dist.md §5) against float64 finite differences of the whole render,
// for the fast op and its twin: depth (the implicit depth, eq. 20), the silhouette of misses (the
// refined minimum, eq. 18-19; the envelope theorem), and the normals (eq. 21), in an analytic
// shape's parameters and in the camera pose. The silhouette of a hit is f at the frozen hit point
// by design (as the reference's): checked for what it promises.

import { expect } from 'chai';
import { Camera } from '../../../geometry/camera.js';
import { tensor } from '../../../lib/create.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import { backward, noGrad } from '../../../lib/tape.js';
import type { Tensor } from '../../../lib/tensor.js';
import { mul } from '../../../ops/arithmetic.js';
import { matmul } from '../../../ops/matmul.js';
import { rotationFromVector } from '../../../ops/cameraPose.js';
import { roundedBox, sphere } from '../../../ops/sphereTracing/sdf/primitives.js';
import { union } from '../../../ops/sphereTracing/sdf/combine.js';
import { transform } from '../../../ops/sphereTracing/sdf/transform.js';
import { type SphereTraceCall, type SphereTraceRender, sphereTrace } from '../../../ops/sphereTracing/sphereTrace.js';
import { sphereTraceReference } from '../../../ops/sphereTracing/sphereTraceReference.js';
import { HIT, MISS, OUTSIDE } from '../../../ops/sphereTracing/rayBatch.js';
import { expectGrads } from '../../helpers.js';

const f64 = { dtype: 'float64' as const };
const leaf = (v: number | number[]) => tensor(v, { dtype: 'float64', requiresGrad: true });

/** Tight marching, so the render is the exact function its gradient describes. */
const EXACT: SphereTraceCall = { threads: 1, threshold: 1e-10, steps: 300, refineIterations: 14, refineBelow: Infinity };

function scene() {
  const radius = leaf(0.33),
    k = leaf(0.09),
    move = leaf([0.17, 0.04, 0.02]),
    turn = leaf([0.25, 0.3, 0.1]);
  const sdf = union([sphere({ radius, center: [-0.2, 0.02, 0] }), transform(roundedBox({ halfSize: [0.24, 0.18, 0.2], radius: 0.05, ...f64 }), { translation: move, rotation: turn })], { k });
  const camera = Camera.lookAt({ eye: [0.5, 0.6, 2.3], target: [0, 0, 0], width: 22, height: 20, fovY: 42 });
  return { sdf, camera, params: [radius, k, move, turn] };
}

const traces = [
  ['sphereTrace', sphereTrace],
  ['sphereTraceReference', sphereTraceReference],
] as const;

/** 0/1 mask [H, W] of the pixels in `states`. */
function maskOf(render: SphereTraceRender, states: number[], H: number, W: number): Tensor {
  return tensor(
    Float64Array.from(render.state, (s) => (states.includes(s) ? 1 : 0)),
    { dtype: 'float64', shape: [H, W] },
  );
}

describe('sphereTrace gradient vs finite differences of the render', () => {
  for (const [name, trace] of traces) {
    it(`${name}: depth in the shape's parameters`, () => {
      const { sdf, camera, params } = scene();
      const base = trace(sdf, camera, EXACT);
      expect(base.hit.filter((h) => h).length, 'pixels that hit').to.be.greaterThan(40);
      expectGrads(() => trace(sdf, camera, EXACT).depth, params);
    });

    it(`${name}: silhouette of the misses in the shape's parameters`, () => {
      const { sdf, camera, params } = scene();
      const base = trace(sdf, camera, EXACT);
      const misses = maskOf(base, [MISS], 20, 22);
      expect(misses.data.filter((v) => v).length, 'misses inside the bounding sphere').to.be.greaterThan(80);
      expectGrads(() => mul(trace(sdf, camera, EXACT).minSdf, misses), params);
    });

    it(`${name}: normals (central differences) in the shape's parameters`, () => {
      const { sdf, camera, params } = scene();
      expectGrads(() => trace(sdf, camera, { ...EXACT, normals: 'centralDifferences' }).normal!, params, { atol: 1e-4 });
    });

    it(`${name}: depth, silhouette and normals in the camera pose`, () => {
      const { sdf, camera } = scene();
      const R0 = tensor(Array.from(camera.R), { dtype: 'float64', shape: [3, 3] });
      const omega = leaf([0.02, -0.03, 0.01]),
        t = leaf(Array.from(camera.t));
      const pose = () => ({ R: matmul(rotationFromVector(omega), R0), t });
      const base = noGrad(() => trace(sdf, camera, { ...EXACT, pose: pose() }));
      const misses = maskOf(base, [MISS, OUTSIDE], 20, 22);
      expect(base.state.filter((s) => s === OUTSIDE).length, 'rays that miss the bounding sphere').to.be.greaterThan(20);
      expectGrads(() => trace(sdf, camera, { ...EXACT, pose: pose() }).depth, [omega, t]);
      expectGrads(() => mul(trace(sdf, camera, { ...EXACT, pose: pose() }).minSdf, misses), [omega, t]);
      expectGrads(() => trace(sdf, camera, { ...EXACT, normals: 'centralDifferences', pose: pose() }).normal!, [omega, t], { atol: 1e-4 });
    });
  }

  it("the silhouette of a hit has f's own gradient at the frozen hit point (the reference's choice)", () => {
    const { sdf, camera, params } = scene();
    const render = sphereTrace(sdf, camera, EXACT);
    const hits = maskOf(render, [HIT], 20, 22);
    backward([mul(render.minSdf, hits)], [new Float64Array(440).fill(1)]);
    const fromRender = params.map((p) => Float64Array.from(p.grad!.data));
    params.forEach((p) => (p.grad = null));
    // f at the hit points, straight from the SDF
    const points: number[] = [];
    for (let p = 0; p < 440; p++) {
      if (!render.hit[p]) continue;
      const { origin, direction } = camera.rayThroughPixel((p % 22) + 0.5, Math.floor(p / 22) + 0.5);
      const z = render.depth.data[p];
      const d = z / (direction[0] * camera.forward[0] + direction[1] * camera.forward[1] + direction[2] * camera.forward[2]);
      points.push(...origin.map((o, j) => o + d * direction[j]));
    }
    const f = sdf.distance(tensor(points, { dtype: 'float64', shape: [points.length / 3, 3] }));
    backward([f], [new Float64Array(f.size).fill(1)]);
    params.forEach((p, i) => {
      for (let e = 0; e < p.size; e++) expect(fromRender[i][e]).to.be.closeTo(p.grad!.data[e], 1e-9);
    });
  });

  it('catches a wrong gradient: the depth weight without the incidence (minCosine 1) fails the check', () => {
    const { sdf, camera, params } = scene();
    expect(gradcheck(() => sphereTrace(sdf, camera, EXACT).depth, params, { raise: false }).ok).to.equal(true);
    expect(gradcheck(() => sphereTrace(sdf, camera, { ...EXACT, minCosine: 1 }).depth, params, { raise: false }).ok).to.equal(false);
  });
});
