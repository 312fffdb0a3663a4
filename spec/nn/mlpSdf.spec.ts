// The network SDF (docs/dist.md §8): its plain form matches the tape, gradients match finite
// differences (in the points and the code, and through the whole render), the same bits on any
// thread count, file round trip, and typed errors for codes of the wrong size.

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Camera } from '../../geometry/camera.js';
import { randn, tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { backward, noGrad } from '../../lib/tape.js';
import type { Tensor } from '../../lib/tensor.js';
import { SdfWorkspace, sdfValues, sdfValuesAndGradients } from '../../ops/sphereTracing/sdf/evaluate.js';
import { loadMlpSdf, mlpSdf, saveMlpSdf } from '../../nn/mlpSdf.js';
import { sphere } from '../../ops/sphereTracing/sdf/primitives.js';
import { sphereTrace } from '../../ops/sphereTracing/sphereTrace.js';
import { trainAutoDecoder } from '../../optim/autoDecoder.js';
import { sdfTrainingSamples } from '../../optim/sdfSamples.js';
import { closePool } from '../../parallel/workerPool.js';
import { expectGrads } from '../helpers.js';

/** A small two-shape decoder (spheres of radius 0.3 and 0.45), trained for a moment, in float64. */
function twoSpheres() {
  const shapes = [0.3, 0.45].map((radius, i) => sdfTrainingSamples(sphere({ radius, dtype: 'float64' }), 3000, { seed: i }));
  return trainAutoDecoder(shapes, {
    latentSize: 2,
    width: 16,
    depth: 3,
    steps: 250,
    seconds: Infinity,
    shapesPerStep: 2,
    samplesPerShape: 256,
    lr: 5e-3,
    codeLr: 2e-2,
    seed: 1,
    dtype: 'float64',
    threads: 1,
  });
}

describe('mlpSdf', () => {
  after(() => closePool());

  for (const activation of ['relu', 'softplus'] as const) {
    it(`${activation}: the plain form gives the tape's distances, and its gradient matches finite differences`, () => {
      const s = mlpSdf({ latentSize: 4, width: 12, depth: 3, activation, dtype: 'float64', seed: 3, threads: 1 });
      s.latent = randn([4], { dtype: 'float64', seed: 4 });
      const p = randn([40, 3], { dtype: 'float64', seed: 5, std: 0.5 });
      const tape = noGrad(() => s.distance(p)).data;
      const P = Float64Array.from(p.data);
      const out = new Float64Array(40),
        grad = new Float64Array(120);
      const ws = new SdfWorkspace();
      sdfValues(s.plain(), P, 40, out, ws);
      out.forEach((v, i) => expect(v).to.equal(tape[i]));
      sdfValuesAndGradients(s.plain(), P, 40, out, grad, ws);
      const e = 1e-6;
      for (let k = 0; k < 3; k++) {
        const fp = new Float64Array(40),
          fm = new Float64Array(40);
        const pp = Float64Array.from(P),
          pm = Float64Array.from(P);
        for (let i = 0; i < 40; i++) {
          pp[3 * i + k] += e;
          pm[3 * i + k] -= e;
        }
        sdfValues(s.plain(), pp, 40, fp, ws);
        sdfValues(s.plain(), pm, 40, fm, ws);
        for (let i = 0; i < 40; i++) expect(grad[3 * i + k]).to.be.closeTo((fp[i] - fm[i]) / (2 * e), 1e-6);
      }
    });
  }

  it('gradients in the points and the code match finite differences on the tape', () => {
    const s = mlpSdf({ latentSize: 3, width: 10, depth: 3, activation: 'softplus', dtype: 'float64', seed: 6, threads: 1 });
    s.latent = randn([3], { dtype: 'float64', seed: 7, requiresGrad: true });
    const p = randn([20, 3], { dtype: 'float64', seed: 8, std: 0.5, requiresGrad: true });
    expectGrads((x: Tensor) => s.distance(x), [p, s.latent]);
  });

  it('the rendered depth and silhouette of a trained decoder follow its code (gradcheck through the tracer)', () => {
    const decoder = twoSpheres();
    const code = tensor(Array.from(decoder.codes.data.subarray(0, 2)), { dtype: 'float64', requiresGrad: true });
    const shape = decoder.sdf.withLatent(code);
    for (const w of decoder.sdf.network.parameters()) w.requiresGrad = false;
    const camera = Camera.lookAt({ eye: [0.4, 0.3, 2.2], target: [0, 0, 0], width: 20, height: 20, fovY: 40 });
    const options = { threads: 1, threshold: 1e-10, steps: 300, refineIterations: 14, refineBelow: Infinity };
    const render = noGrad(() => sphereTrace(shape, camera, options));
    expect(render.hit.filter((h) => h).length, 'pixels on the shape').to.be.greaterThan(30);
    expectGrads(() => sphereTrace(shape, camera, options).depth, [code], { atol: 1e-5, rtol: 2e-3 });
  });

  it('gives the same bits on one and two threads (the network in the workers)', () => {
    const s = mlpSdf({ latentSize: 2, width: 16, depth: 3, seed: 9 });
    s.latent = tensor([0.1, -0.2], { requiresGrad: true });
    const camera = Camera.lookAt({ eye: [0.4, 0.3, 2.2], target: [0, 0, 0], width: 48, height: 40, fovY: 40 }); // two marching tasks
    const run = (threads: number) => {
      s.latent.grad = null;
      const r = sphereTrace(s, camera, { threads });
      backward([r.minSdf], [Float64Array.from({ length: r.minSdf.size }, (_, i) => Math.sin(i))]);
      return { minSdf: Array.from(r.minSdf.data), grad: Array.from(s.latent.grad!.data) };
    };
    const one = run(1),
      two = run(2);
    expect(two.minSdf).to.deep.equal(one.minSdf);
    expect(two.grad).to.deep.equal(one.grad);
  });

  it('saves and loads through safetensors', () => {
    const s = mlpSdf({ latentSize: 2, width: 8, depth: 2, seed: 10 });
    s.latent = tensor([0.25, -0.5]);
    const dir = mkdtempSync(join(tmpdir(), 'splatgrad-mlpsdf-'));
    try {
      saveMlpSdf(join(dir, 'net.safetensors'), s, { note: 'spec' });
      const { sdf: back, metadata } = loadMlpSdf(join(dir, 'net.safetensors'));
      expect(metadata.note).to.equal('spec');
      const p = randn([10, 3], { seed: 11 });
      expect(Array.from(noGrad(() => back.distance(p)).data)).to.deep.equal(Array.from(noGrad(() => s.distance(p)).data));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throws typed errors for codes of the wrong size', () => {
    const s = mlpSdf({ latentSize: 4, width: 8, depth: 2 });
    expect(() => s.withLatent(tensor([1, 2, 3]))).to.throw(ShapeError, /codes of 4 values/);
    expect(() => mlpSdf({ network: s.network, latentSize: 3 })).to.throw(ShapeError, /codes have 4 values, not 3/);
    expect(() => s.withLatent(tensor([1, 2, 3, 4], { dtype: 'float64' }))).to.throw(ArgumentError, /float64 but the network is float32/);
    expect(() => mlpSdf({ activation: 'gelu' as never })).to.throw(ArgumentError, /relu' or 'softplus/);
  });
});
