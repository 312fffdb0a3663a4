// DIST as a fit method (docs/dist.md §9): an MLP SDF fitted to the target views' depth images and
// silhouettes through the differentiable tracer (depth L1 on the silhouettes' overlap x 10 +
// silhouette hinge x 1, a few random views a step, Adam on the network's weights); the mesh is
// the network's zero level set by marching cubes and the cloud points sampled on it.
//
// The network works in a normalized frame: world x = c + s q with c the target's centre and s
// twice its largest bounding-box half-side (less where a camera would fall inside it), so the
// object sits inside the tracer's unit bounding sphere. Cameras are carried into that frame (R, (R c + t) / s: a pinhole does not see
// a uniform scale) and depths divided by s. It starts as a sphere: the network is first fitted to
// a sphere's distances (initRadius extents) so the tracer finds a surface at step 0.
//
// Why the defaults are what they are (measured on the 2-core machine): renders at 48 x 48 (the
// network costs a matrix product a sample; 128 x 128 is 7x the time a step for little gain in
// the mesh's Chamfer), 2 views a step, 4 x 32 ReLU as the dist-shape demo's decoder, lr 1e-3.

import { Camera } from '../../geometry/camera.js';
import { marchingCubes } from '../../geometry/marchingCubes.js';
import type { Mesh } from '../../geometry/mesh.js';
import { samplePoints } from '../../geometry/sampling.js';
import { shadeLambert } from '../../geometry/lights.js';
import { ArgumentError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import { noGrad } from '../../lib/tape.js';
import { add } from '../../ops/arithmetic.js';
import { depthSilhouetteLoss } from '../../ops/sphereTracing/losses.js';
import { SdfWorkspace, sdfValues } from '../../ops/sphereTracing/sdf/evaluate.js';
import type { MlpSdf } from '../../nn/mlpSdf.js';
import { sphere } from '../../ops/sphereTracing/sdf/primitives.js';
import { sphereTrace } from '../../ops/sphereTracing/sphereTrace.js';
import { Adam } from '../adam.js';
import { trainAutoDecoder } from '../autoDecoder.js';
import type { FitCloud, FitMethod, FitSession, FitView } from '../fitMethod.js';
import { sdfTrainingSamples } from '../sdfSamples.js';

export interface SdfSettings {
  width: number;
  depth: number;
  activation: string;
  resolution: number;
  viewsPerStep: number;
  lr: number;
  depthWeight: number;
  silhouetteWeight: number;
  initRadius: number;
  initSteps: number;
  levelResolution: number;
}

interface NormalizedView {
  camera: Camera;
  depth: Float32Array;
  mask: Float32Array;
}

/** A view in the normalized frame, at `side` pixels across (nearest target pixel for each). */
function normalizeView(view: FitView, centre: readonly number[], scale: number, side: number): NormalizedView {
  const cam = view.camera;
  if (!view.depth) throw new ArgumentError('fit --method sdf fits depth images: give a built-in shape or a mesh target (a folder of photos has no depth).');
  const k = side / Math.max(cam.width, cam.height);
  const width = Math.max(1, Math.round(cam.width * k)),
    height = Math.max(1, Math.round(cam.height * k));
  const R = cam.R,
    t = cam.t;
  const tn = [0, 1, 2].map((i) => (R[3 * i] * centre[0] + R[3 * i + 1] * centre[1] + R[3 * i + 2] * centre[2] + t[i]) / scale);
  const camera = Camera.fromMatrix({
    R: Array.from(R),
    t: tn,
    width,
    height,
    fx: cam.fx * (width / cam.width),
    fy: cam.fy * (height / cam.height),
    cx: cam.cx * (width / cam.width),
    cy: cam.cy * (height / cam.height),
  });
  const depth = new Float32Array(width * height),
    mask = new Float32Array(width * height);
  for (let j = 0; j < height; j++) {
    const sj = Math.min(cam.height - 1, Math.floor(((j + 0.5) * cam.height) / height));
    for (let i = 0; i < width; i++) {
      const si = Math.min(cam.width - 1, Math.floor(((i + 0.5) * cam.width) / width));
      const p = sj * cam.width + si;
      const inside = view.mask ? view.mask[p] > 0.5 : view.depth[p] > 0;
      mask[j * width + i] = inside ? 1 : 0;
      depth[j * width + i] = inside ? view.depth[p] / scale : 0;
    }
  }
  return { camera, depth, mask };
}

/** The network's zero level set over the normalized cube, in world coordinates. */
function levelSet(net: MlpSdf, resolution: number, centre: readonly number[], scale: number): Mesh {
  const plain = net.plain();
  const ws = new SdfWorkspace();
  const mesh = marchingCubes(
    (points) => {
      const out = new Float64Array(points.length / 3);
      sdfValues(plain, points, out.length, out, ws);
      return out;
    },
    { resolution },
  );
  const positions = Float64Array.from(mesh.positions, (v, i) => centre[i % 3] + scale * v);
  return { ...mesh, positions };
}

export const sdf: FitMethod<SdfSettings> = {
  name: 'sdf',
  summary: 'DIST: an MLP signed distance function fitted to depth images and silhouettes by differentiable sphere tracing (docs/dist.md)',
  iterations: 400,
  settings: {
    width: { kind: 'integer', default: 32, min: 4, max: 1024, help: 'width of the network hidden layers' },
    depth: { kind: 'integer', default: 4, min: 1, max: 16, help: 'hidden layers (a skip re-injects xyz at the middle one)' },
    activation: { kind: 'string', default: 'relu', choices: ['relu', 'softplus'], help: 'hidden activation' },
    resolution: { kind: 'integer', default: 48, min: 8, max: 1024, help: 'side in px of the renders compared with the targets (downsampled)' },
    viewsPerStep: { kind: 'integer', default: 2, min: 1, max: 512, help: 'views per step' },
    lr: { kind: 'number', default: 1e-3, min: 0, max: 1, help: 'Adam learning rate of the weights' },
    depthWeight: { kind: 'number', default: 10, min: 0, max: 1e6, help: 'weight of the depth L1 (eq. 22)' },
    silhouetteWeight: { kind: 'number', default: 1, min: 0, max: 1e6, help: 'weight of the silhouette hinge (eq. 23)' },
    initRadius: { kind: 'number', default: 0.5, min: 0.05, max: 2, help: 'the starting sphere, in extents of the target' },
    initSteps: { kind: 'integer', default: 300, min: 0, max: 100_000, help: 'steps fitting the network to that sphere first' },
    levelResolution: { kind: 'integer', default: 64, min: 8, max: 512, help: "marching-cubes grid of the network's level set (its mesh and its cloud)" },
  },
  start(scene, s, context): FitSession {
    const centre = scene.center;
    // twice the largest half-side, but never so large that a camera falls inside the tracer's unit
    // sphere (views framed tightly around a wide shape, as compare's are)
    const nearest = Math.min(...scene.views.map((v) => Math.hypot(...v.camera.center.map((x, k) => x - centre[k]))));
    const scale = Math.min(2 * scene.extent, 0.95 * nearest);
    const views = scene.views.map((v) => normalizeView(v, centre, scale, s.resolution));
    // the network starts as a sphere of initRadius extents (initRadius extent / scale in the normalized frame)
    const start = sphere({ radius: (s.initRadius * scene.extent) / scale, dtype: 'float64' });
    const net = trainAutoDecoder([sdfTrainingSamples(start, 8000, { seed: context.seed })], {
      latentSize: 0,
      width: s.width,
      depth: s.depth,
      activation: s.activation as 'relu' | 'softplus',
      steps: s.initSteps,
      seconds: Infinity,
      shapesPerStep: 1,
      samplesPerShape: 2048,
      seed: context.seed,
      threads: context.threads,
    }).sdf;
    const adam = new Adam(net.network.parameters(), { lr: s.lr });
    const rng = new Random(context.seed + 17);
    const trace = { threads: context.threads };
    let cached: { step: number; mesh: Mesh } | null = null;
    let steps = 0;
    const mesh = (): Mesh => {
      if (!cached || cached.step !== steps) cached = { step: steps, mesh: levelSet(net, s.levelResolution, centre, scale) };
      return cached.mesh;
    };
    return {
      step() {
        let loss = null;
        for (let k = 0; k < Math.min(s.viewsPerStep, views.length); k++) {
          const v = views[rng.int(views.length)];
          const r = sphereTrace(net, v.camera, trace);
          const term = depthSilhouetteLoss(r, v.depth, v.mask, s.depthWeight, s.silhouetteWeight);
          loss = loss ? add(loss, term) : term;
        }
        adam.zeroGrad();
        loss!.backward();
        adam.step();
        steps++;
        return loss!.item();
      },
      cloud(): FitCloud {
        const m = mesh();
        if (m.faces.length === 0) return { positions: new Float64Array(0), normals: null, colors: null };
        const c = samplePoints(m, 5000, { seed: context.seed });
        return { positions: c.positions, normals: c.normals ?? null, colors: null };
      },
      mesh,
      preview(view: FitView): Float32Array {
        const v = normalizeView(view, centre, scale, Math.max(view.camera.width, view.camera.height));
        const r = noGrad(() => sphereTrace(net, v.camera, { ...trace, normals: 'analytic' }));
        const out = new Float32Array(3 * r.hit.length);
        const rgb = new Float64Array(3);
        for (let p = 0; p < r.hit.length; p++) {
          if (!r.hit[p]) continue;
          shadeLambert([1, 1, 1], r.normal!.data.subarray(3 * p, 3 * p + 3), null, view.lights, rgb);
          for (let k = 0; k < 3; k++) out[3 * p + k] = Math.min(1, Math.max(0, rgb[k]));
        }
        return out;
      },
      summary: () => ({ sdf: { width: s.width, depth: s.depth, resolution: s.resolution, steps } }),
    };
  },
};
