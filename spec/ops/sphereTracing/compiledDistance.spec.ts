// The compiled tape op of an analytic tree (compiledDistance.ts) against its twin, the per-node
// ops of sdf.distance: the same values, the same gradients in the points and every parameter
// (primitives, smoothness, transforms), finite differences, and the fall-back where it can't compile.

import { expect } from 'chai';
import { randn, tensor } from '../../../lib/create.js';
import { backward, noGrad } from '../../../lib/tape.js';
import type { Tensor } from '../../../lib/tensor.js';
import { difference, intersection, union } from '../../../ops/sphereTracing/sdf/combine.js';
import { compiledDistance, tapeDistance } from '../../../ops/sphereTracing/sdf/compiledDistance.js';
import { functionSdf } from '../../../ops/sphereTracing/sdf/functionSdf.js';
import { box, capsule, cylinder, roundedBox, sphere, torus } from '../../../ops/sphereTracing/sdf/primitives.js';
import type { Sdf } from '../../../ops/sphereTracing/sdf/sdf.js';
import { csgShape } from '../../../ops/sphereTracing/sdf/shapes.js';
import { transform } from '../../../ops/sphereTracing/sdf/transform.js';
import type { DType } from '../../../lib/dtype.js';
import { expectGrads } from '../../helpers.js';

/** Every primitive, every combination (hard and smooth) and two nested transforms, all parameters tensors. */
function everyNode(dtype: DType): { sdf: Sdf; params: Tensor[] } {
  const params: Tensor[] = [];
  const p = (v: number | number[]) => {
    const t = tensor(v, { dtype, requiresGrad: true });
    params.push(t);
    return t;
  };
  const s1 = sphere({ center: p([0.1, -0.05, 0.02]), radius: p(0.3) });
  const b1 = box({ halfSize: p([0.25, 0.2, 0.3]) });
  const r1 = roundedBox({ halfSize: p([0.3, 0.15, 0.2]), radius: p(0.05) });
  const t1 = torus({ majorRadius: p(0.35), minorRadius: p(0.1) });
  const c1 = capsule({ a: p([-0.2, 0.05, 0]), b: p([0.25, -0.1, 0.1]), radius: p(0.08) });
  const y1 = cylinder({ radius: p(0.2), halfHeight: p(0.3) });
  const placed = transform(union([r1, t1], { k: p(0.06) }), { rotation: p([0.3, -0.2, 0.5]), translation: p([0.05, 0.1, -0.05]), scale: p(1.1) });
  const bored = difference(intersection([s1, b1], { k: p(0.04) }), transform(y1, { rotation: p([Math.PI / 2, 0, 0]), translation: p([0.1, 0, 0]), scale: p(0.9) }), { k: p(0.02) });
  return { sdf: union([union([placed, bored], { k: p(0) }), c1], { k: p(0.05) }), params };
}

function gradients(f: Tensor, inputs: Tensor[], G: Float64Array): Float64Array[] {
  for (const t of inputs) t.grad = null;
  backward([f], [G]);
  return inputs.map((t) => Float64Array.from(t.grad?.data ?? new Float64Array(t.size)));
}

describe('sphereTracing: an analytic tree as one compiled tape op', () => {
  it('gives the per-node ops’ values and gradients in the points and every parameter', () => {
    const { sdf, params } = everyNode('float64');
    const q = randn([300, 3], { dtype: 'float64', seed: 21, std: 0.45 });
    q.requiresGrad = true;
    const G = Float64Array.from(randn([300], { dtype: 'float64', seed: 22 }).data);
    const fused = compiledDistance(sdf, q);
    expect(fused, 'a tree of primitives, combinations and transforms compiles').to.not.equal(null);
    const twin = sdf.distance(q);
    for (let i = 0; i < 300; i++) expect(fused!.data[i]).to.equal(twin.data[i]);
    const a = gradients(fused!, [q, ...params], G),
      b = gradients(twin, [q, ...params], G);
    const reached = a.map((ga, j) => {
      for (let i = 0; i < ga.length; i++) expect(ga[i], `input ${j}, entry ${i}`).to.be.closeTo(b[j][i], 1e-12 * (1 + Math.abs(b[j][i])));
      return ga.some((g) => g !== 0);
    });
    // every input gets a gradient but the hard union's k (input 22: its derivative is 0 by definition)
    expect(
      reached.flatMap((r, j) => (r ? [] : [j])),
      'inputs the gradient did not reach',
    ).to.deep.equal([22]);
  });

  it('its gradient matches finite differences (float64)', () => {
    const { sdf, params } = everyNode('float64');
    const q = randn([40, 3], { dtype: 'float64', seed: 23, std: 0.4 });
    q.requiresGrad = true;
    expectGrads((x: Tensor) => compiledDistance(sdf, x)!, [q, ...params]);
  });

  it('agrees with the per-node ops in float32 on the benchmark shape', () => {
    const sdf = csgShape();
    for (const t of sdf.parameters()) t.requiresGrad = true;
    const q = randn([500, 3], { seed: 24, std: 0.5 });
    q.requiresGrad = true;
    const fused = compiledDistance(sdf, q)!;
    const twin = sdf.distance(q);
    expect(fused.dtype).to.equal('float32');
    for (let i = 0; i < 500; i++) expect(fused.data[i]).to.be.closeTo(twin.data[i], 1e-6);
    const G = Float64Array.from(randn([500], { seed: 25 }).data);
    const inputs = [q, ...sdf.parameters()];
    const a = gradients(fused, inputs, G),
      b = gradients(twin, inputs, G);
    a.forEach((ga, j) => {
      for (let i = 0; i < ga.length; i++) expect(ga[i]).to.be.closeTo(b[j][i], 1e-4 * (1 + Math.abs(b[j][i])));
    });
  });

  it('is not used for a tree it cannot compile: tapeDistance falls back to the per-node ops', () => {
    const ball = sphere({ radius: 0.5 });
    const f = functionSdf((p: Tensor) => ball.distance(p));
    const tree = union([sphere({ radius: 0.2 }), f]);
    const q = randn([10, 3], { seed: 26 });
    expect(compiledDistance(tree, q)).to.equal(null);
    const viaTape = noGrad(() => tapeDistance(tree, q));
    const direct = noGrad(() => tree.distance(q));
    for (let i = 0; i < 10; i++) expect(viaTape.data[i]).to.equal(direct.data[i]);
  });
});
