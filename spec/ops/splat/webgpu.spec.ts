// The GPU path's parts that need no GPU: device errors, limits, the CPU-side packing, the device
// option on the CPU entry points, and that nothing but the GPU path loads the `webgpu` package.
// Its agreement with the CPU path (three scenes, same bits twice, a 20-step fit) needs an adapter:
// `npm run check:webgpu` (browser/checkWebgpu.ts), which npm test runs wherever one is found.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArgumentError, DeviceError } from '../../../lib/errors.js';
import { ewaSplat } from '../../../ops/splat/ewaSplat.js';
import { checkDevice, ewaSplatAsync } from '../../../ops/splat/ewaSplatAsync.js';
import { resolveSplatOptions } from '../../../ops/splat/options.js';
import { screenSplats } from '../../../ops/splat/screenSplats.js';
import { acquireDevice } from '../../../ops/splat/webgpu/device.js';
import { checkBufferSizes, checkShapes } from '../../../ops/splat/webgpu/limits.js';
import { packSplats } from '../../../ops/splat/webgpu/pack.js';
import { DEPTH_WORDS, SPLAT_WORDS } from '../../../ops/splat/webgpu/wgsl/common.js';
import { frontCamera, randomScene } from './scenes.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('ewaSplat on WebGPU: what needs no GPU', () => {
  it('no adapter is a DeviceError that says what to install or enable', async () => {
    const noAdapter = { requestAdapter: async () => null };
    const err = await acquireDevice({ gpu: noAdapter }).then(
      () => null,
      (e) => e,
    );
    expect(err).to.be.instanceOf(DeviceError);
    expect(err.code).to.equal('E_DEVICE');
    expect(err.reason).to.equal('unavailable');
    expect(err.message).to.match(/requestAdapter\(\) found no WebGPU adapter/);
    // in Node without the optional package
    const missing = await acquireDevice({ importWebgpu: () => Promise.reject(new Error("Cannot find package 'webgpu'")) }).then(
      () => null,
      (e) => e,
    );
    expect(missing).to.be.instanceOf(DeviceError);
    expect(missing.message)
      .to.match(/npm install webgpu/)
      .and.match(/libvulkan1/);
    // the package found, but no adapter (no Vulkan driver)
    const noDriver = await acquireDevice({ importWebgpu: async () => ({ create: () => noAdapter }) }).then(
      () => null,
      (e) => e,
    );
    expect(noDriver).to.be.instanceOf(DeviceError);
    expect(noDriver.message)
      .to.match(/no WebGPU adapter/)
      .and.match(/VK_ICD_FILENAMES/);
  });

  it('checks sizes against the device limits before any dispatch, naming the buffer and the fix', () => {
    const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };
    expect(() => checkBufferSizes({ splats: 1e6, cache: 100 * 2 ** 20 }, limits)).not.to.throw();
    expect(() => checkBufferSizes({ splats: 1e6, cache: 200 * 2 ** 20 }, limits))
      .to.throw(DeviceError, /cache buffer needs 200.0 MiB but this device binds at most 128.0 MiB/)
      .with.property('reason', 'limits');
    expect(() => checkBufferSizes({ cache: 200 * 2 ** 20 }, limits)).to.throw(DeviceError, /frontCount/);
    expect(() => checkShapes(70000, 10, 3)).to.throw(DeviceError, /65,535 px/);
    expect(() => checkShapes(64, 64, 17)).to.throw(DeviceError, /at most 16 attribute channels/);
    expect(() => checkShapes(64, 64, 16)).not.to.throw();
  });

  it('packs the CPU path float64 screen splats: double-float centres and shapes, float64 depth bits, boxes and windows', () => {
    const scene = randomScene(60, 5);
    const camera = frontCamera(48, 40);
    const o = resolveSplatOptions({ sigma: 0.05, mergeThreshold: 0.03, window: 12 }, 3, () => ({ spacing: 0.05, diagonal: 2 }));
    const { splats: screen } = screenSplats(scene.positions.data, scene.normals.data, camera, o);
    const packed = packSplats(screen, scene.positions.data, scene.normals.data, scene.attributes.data, { width: 48, height: 40, channels: 3, mergeThreshold: 0.03, window: 12, focal: camera.fx });
    const active = [...screen.active].map((a, k) => (a ? k : -1)).filter((k) => k >= 0);
    expect(Array.from(packed.ids)).to.deep.equal(active);
    expect(packed.count).to.be.greaterThan(20);
    const f = new Float32Array(packed.splats.buffer),
      d = new Float32Array(packed.depth.buffer);
    const bits = new Float64Array(new Uint32Array(2).buffer);
    const asDouble = (hi: number, lo: number) => {
      const u = new Uint32Array(bits.buffer);
      u[0] = lo;
      u[1] = hi;
      return bits[0];
    };
    packed.ids.forEach((k, s) => {
      const w = SPLAT_WORDS * s,
        e = DEPTH_WORDS * s;
      for (const [at, v] of [
        [0, screen.px[k]],
        [2, screen.py[k]],
        [4, screen.ia[k]],
        [6, screen.ib[k]],
        [8, screen.ic[k]],
      ] as const) {
        expect(Math.abs(f[w + at] + f[w + at + 1] - v), `hi + lo of value ${at}`).to.be.at.most(2 ** -46 * Math.abs(v));
      }
      expect(packed.splats[w + 11]).to.equal(k);
      expect(packed.splats[w + 12]).to.equal(screen.x0[k] | (screen.x1[k] << 16));
      expect(packed.splats[w + 13]).to.equal(screen.y0[k] | (screen.y1[k] << 16));
      expect(asDouble(packed.splats[w + 14], packed.splats[w + 15]), 'depth bits').to.equal(screen.depth[k]);
      expect(asDouble(packed.depth[e], packed.depth[e + 1]), 'merge limit bits').to.equal(screen.depth[k] + 0.03);
      expect(asDouble(packed.depth[e + 2], packed.depth[e + 3]), 'join limit bits').to.equal(screen.depth[k] - 0.03);
      expect(Math.fround(screen.scale[k]) + d[e + 9]).to.be.closeTo(screen.scale[k], 2 ** -46 * screen.scale[k]);
      const i0 = Math.max(0, Math.ceil(screen.px[k] - 6 - 0.5)),
        i1 = Math.min(47, Math.floor(screen.px[k] + 6 - 0.5));
      const j0 = Math.max(0, Math.ceil(screen.py[k] - 6 - 0.5)),
        j1 = Math.min(39, Math.floor(screen.py[k] + 6 - 0.5));
      if (i0 <= i1 && j0 <= j1) expect([packed.depth[e + 7], packed.depth[e + 8]]).to.deep.equal([i0 | (i1 << 16), j0 | (j1 << 16)]);
      else expect(packed.depth[e + 7], 'an empty window: first > last').to.equal(1);
      // the attributes, the normal and the position follow, C + 6 floats per splat
      expect(Array.from(packed.attributes.subarray(9 * s, 9 * s + 9))).to.deep.equal(
        [
          ...Array.from(scene.attributes.data.subarray(3 * k, 3 * k + 3)),
          ...Array.from(scene.normals.data.subarray(3 * k, 3 * k + 3)),
          ...Array.from(scene.positions.data.subarray(3 * k, 3 * k + 3)),
        ].map(Math.fround),
      );
    });
  });

  it("the CPU entry points refuse device 'webgpu' with the asynchronous one to call; ewaSplatAsync on 'cpu' is ewaSplat", async () => {
    const s = randomScene(30, 2);
    const camera = frontCamera(24);
    expect(() => ewaSplat(s.positions, s.normals, s.attributes, camera, { device: 'webgpu' })).to.throw(ArgumentError, /await ewaSplatAsync/);
    expect(() => ewaSplat(s.positions, s.normals, s.attributes, camera, { device: 'tpu' as never })).to.throw(ArgumentError, /'cpu' or 'webgpu'/);
    expect(() => checkDevice('gpu')).to.throw(ArgumentError, /'cpu' or 'webgpu', got "gpu"/);
    const a = ewaSplat(s.positions, s.normals, s.attributes, camera);
    const b = await ewaSplatAsync(s.positions, s.normals, s.attributes, camera, { device: 'cpu' });
    expect(Array.from(b.image.data)).to.deep.equal(Array.from(a.image.data));
    expect(a.image.data.some((v) => v !== 0)).to.equal(true);
  });

  it('loads and renders on the CPU where the webgpu package cannot be found; only device.ts imports it', () => {
    // a resolve hook that makes 'webgpu' unresolvable, as in a project that did not install it
    const hook = `export async function resolve(specifier, context, next) { if (specifier === 'webgpu') throw new Error("Cannot find package 'webgpu'"); return next(specifier, context); }`;
    const script = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const lib = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});
      const { tensor, Camera, ewaSplatAsync } = lib;
      const p = tensor([[0, 0, 0]]), n = tensor([[0, 0, 1]]), w = tensor([[1, 0.5, 0.25]]);
      const camera = Camera.lookAt({ eye: [0, 0, 3], target: [0, 0, 0], width: 16, height: 16 });
      const cpu = await ewaSplatAsync(p, n, w, camera, { sigma: 0.05 });
      let gpuError = null;
      try { await ewaSplatAsync(p, n, w, camera, { device: 'webgpu', sigma: 0.05 }); } catch (e) { gpuError = e.name + ' ' + e.reason + ': ' + e.message; }
      console.log(JSON.stringify({ covered: cpu.image.data.some((v) => v > 0), gpuError }));
      lib.closePool();
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.covered).to.equal(true);
    expect(out.gpuError).to.match(/^DeviceError unavailable: .*could not be loaded.*npm install webgpu/);
    // statically: the package name appears in an import nowhere else
    const files = (dir: string, out: string[] = []): string[] => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) files(path, out);
        else if (name.endsWith('.ts')) out.push(path);
      }
      return out;
    };
    const importers = ['lib', 'parallel', 'geometry', 'ops', 'optim', 'cli', 'index.ts']
      .flatMap((d) => (d.endsWith('.ts') ? [join(root, d)] : files(join(root, d))))
      .filter((f) => /from\s+'webgpu'|import\(\s*'webgpu'\s*\)|WEBGPU_PACKAGE\s*=/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(importers).to.deep.equal(['ops/splat/webgpu/device.ts']);
  });
});
