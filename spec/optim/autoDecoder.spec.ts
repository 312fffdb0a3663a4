// The auto-decoder (docs/dist.md §8): training lowers the fit and separates the codes; a code is
// recovered through the tracer from depth and silhouette; the ranking of training codes finds the
// shape that renders like the views; the dist-shape demo's summary has the shape scripts read.

import { expect } from 'chai';
import { Camera } from '../../geometry/camera.js';
import { tensor } from '../../lib/create.js';
import { ArgumentError } from '../../lib/errors.js';
import { noGrad } from '../../lib/tape.js';
import { sphere, torus } from '../../ops/sphereTracing/sdf/primitives.js';
import { sphereTrace } from '../../ops/sphereTracing/sphereTrace.js';
import { type CodeView, fitCode, rankCodes, trainAutoDecoder } from '../../optim/autoDecoder.js';
import { sdfTrainingSamples } from '../../optim/sdfSamples.js';
import { distShape } from '../../cli/demos/distShape.js';
import { demos } from '../../cli/commands/demo.js';

const f64 = { dtype: 'float64' as const };

function decoder() {
  const shapes = [sphere({ radius: 0.3, ...f64 }), sphere({ radius: 0.5, ...f64 }), torus({ majorRadius: 0.45, minorRadius: 0.12, ...f64 })];
  const samples = shapes.map((s, i) => sdfTrainingSamples(s, 4000, { seed: i }));
  return {
    shapes,
    ad: trainAutoDecoder(samples, { latentSize: 3, width: 24, depth: 3, steps: 300, seconds: Infinity, shapesPerStep: 3, samplesPerShape: 256, lr: 5e-3, codeLr: 2e-2, seed: 2, threads: 1 }),
  };
}

describe('auto-decoder and code recovery', () => {
  const { shapes, ad } = decoder();
  const camera = Camera.lookAt({ eye: [0.5, 1.2, 2.1], target: [0, 0, 0], width: 24, height: 24, fovY: 45 });
  const viewOf = (i: number): CodeView => {
    const r = noGrad(() => sphereTrace(shapes[i], camera, { threads: 1 }));
    return { camera, depth: Float32Array.from(r.depth.data), mask: Float32Array.from(r.hit) };
  };

  it('training lowers the fit and gives each shape its own code', () => {
    const head = ad.losses.slice(0, 10).reduce((a, b) => a + b, 0) / 10,
      tail = ad.losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
    expect(tail).to.be.lessThan(0.5 * head);
    const code = (i: number) => Array.from(ad.codes.data.subarray(3 * i, 3 * i + 3));
    const gap = Math.hypot(...code(0).map((v, k) => v - code(2)[k]));
    expect(gap, 'a sphere and a torus get different codes').to.be.greaterThan(0.01);
  });

  it('ranks the training codes by how their renders match a view', () => {
    const candidates = [0, 1, 2].map((i) => ad.codes.data.subarray(3 * i, 3 * i + 3));
    const losses = rankCodes(ad.sdf, [viewOf(2)], candidates, { trace: { threads: 1 } });
    expect(losses.indexOf(Math.min(...losses))).to.equal(2);
  });

  it('recovers a code through the tracer: the render loss falls and the code moves to the right shape', () => {
    const target = viewOf(1);
    const start = ad.codes.data.subarray(0, 3);
    const fit = fitCode(ad.sdf, [target], { iterations: 40, lr: 0.05, start, trace: { threads: 1 } });
    expect(fit.losses[fit.losses.length - 1]).to.be.lessThan(0.3 * fit.losses[0]);
    const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(...[0, 1, 2].map((k) => a[k] - b[k]));
    expect(dist(fit.code, ad.codes.data.subarray(3, 6))).to.be.lessThan(dist(start, ad.codes.data.subarray(3, 6)));
    // the network's weights were left alone
    for (const w of ad.sdf.network.parameters()) expect(w.requiresGrad).to.equal(true);
  });

  it('rejects empty inputs with typed errors', () => {
    expect(() => trainAutoDecoder([])).to.throw(ArgumentError, /at least one shape/);
    expect(() => fitCode(ad.sdf, [])).to.throw(ArgumentError, /at least one view/);
    expect(() => ad.shape(7)).to.throw(ArgumentError, /no training shape 7/);
    expect(() => ad.sdf.withLatent(tensor([1, 2]))).to.throw(/codes of 3 values/);
  });
});

describe('demo dist-shape', () => {
  it('is registered and its summary has the shape scripts read', async () => {
    expect(demos).to.have.property('dist-shape');
    const s = await distShape({ shapes: 3, unseen: 1, trainSteps: 10, samples: 1000, width: 8, depth: 2, size: 16, iterations: 2, meshResolution: 16, threads: 1 });
    expect(s.oneView.meanChamfer).to.be.a('number');
    expect(s.fourViews.meanChamfer).to.be.a('number');
    expect(s.seconds).to.be.greaterThan(0);
    expect(s.shapes).to.have.length(1);
    expect(s.shapes[0]).to.include.keys('kind', 'oneView', 'fourViews');
  });
});
