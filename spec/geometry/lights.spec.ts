import { expect } from 'chai';
import { ArgumentError } from '../../lib/errors.js';
import { Camera } from '../../geometry/camera.js';
import { type DirectionalLight, type Light, ambientLight, defaultLights, directionalLight, pointLight, shadeLambert, validateLights } from '../../geometry/lights.js';

describe('lights', () => {
  const camera = Camera.lookAt({ eye: [1, 2, 3], target: [0, 0, 0], width: 32, height: 32 });

  it('defaultLights: ambient 0.3 and orthogonal red/green/blue suns of 0.9, red toward the camera', () => {
    const lights = defaultLights(camera, { seed: 7 });
    const ambient = lights.filter((l) => l.type === 'ambient');
    const suns = lights.filter((l): l is DirectionalLight => l.type === 'directional');
    expect(ambient).to.have.length(1);
    expect(ambient[0].color).to.deep.equal([0.3, 0.3, 0.3]);
    expect(suns.map((s) => s.color)).to.deep.equal([
      [0.9, 0, 0],
      [0, 0.9, 0],
      [0, 0, 0.9],
    ]);
    for (let i = 0; i < 3; i++) {
      const d = suns[i].direction;
      expect(Math.hypot(...d)).to.be.closeTo(1, 1e-12);
      for (let j = i + 1; j < 3; j++) {
        const e = suns[j].direction;
        expect(d[0] * e[0] + d[1] * e[1] + d[2] * e[2], `sun ${i} . sun ${j}`).to.be.closeTo(0, 1e-12);
      }
    }
    const f = camera.forward;
    suns[0].direction.forEach((v, i) => expect(v).to.be.closeTo(-f[i], 1e-12));
    expect(() => validateLights(lights)).to.not.throw();
  });

  it('defaultLights is reproducible for a seed and differs between seeds', () => {
    expect(defaultLights(camera, { seed: 3 })).to.deep.equal(defaultLights(camera, { seed: 3 }));
    expect(defaultLights(camera, { seed: 3 })[2]).to.not.deep.equal(defaultLights(camera, { seed: 4 })[2]);
  });

  it('shadeLambert: albedo * (ambient + sum color max(0, n.l)), by hand', () => {
    const lights: Light[] = [
      ambientLight([0.1, 0.2, 0.3]),
      directionalLight([0, 0, 2], [1, 0.5, 0]), // normalized to +z
      directionalLight([0, 0, -1], [5, 5, 5]), // behind the surface: contributes nothing
      pointLight([3, 0, 4], [0, 0, 1]), // from the origin: l = (0.6, 0, 0.8)
    ];
    const n = [0, 0.6, 0.8]; // unit
    // n.l: sun +z 0.8; point 0.64
    const rgb = shadeLambert([0.5, 1, 2], n, [0, 0, 0], lights);
    expect(rgb[0]).to.be.closeTo(0.5 * (0.1 + 1 * 0.8), 1e-12);
    expect(rgb[1]).to.be.closeTo(1 * (0.2 + 0.5 * 0.8), 1e-12);
    expect(rgb[2]).to.be.closeTo(2 * (0.3 + 1 * 0.64), 1e-12);
  });

  it('shadeLambert normalizes the normal and writes into out', () => {
    const out = new Float64Array(3);
    const lights = [directionalLight([0, 1, 0], [1, 1, 1])];
    const r = shadeLambert([1, 1, 1], [0, 10, 0], null, lights, out);
    expect(r).to.equal(out);
    expect(Array.from(out)).to.deep.equal([1, 1, 1]);
  });

  it('rejects zero normals, missing positions and malformed lights by name', () => {
    const sun = [directionalLight([0, 1, 0], [1, 1, 1])];
    expect(() => shadeLambert([1, 1, 1], [0, 0, 0], null, sun)).to.throw(ArgumentError, /normal/);
    expect(() => shadeLambert([1, 1, 1], [0, 1, 0], null, [pointLight([0, 1, 0], [1, 1, 1])])).to.throw(ArgumentError, /position is required/);
    expect(() => validateLights([{ type: 'directional', direction: [0, 2, 0], color: [1, 1, 1] }])).to.throw(ArgumentError, /lights\[0\]\.direction must be a unit/);
    expect(() => validateLights([{ type: 'spot', color: [1, 1, 1] } as unknown as Light])).to.throw(ArgumentError, /lights\[0\]\.type/);
    expect(() => directionalLight([0, 0, 0], [1, 1, 1])).to.throw(ArgumentError, /direction has zero length/);
  });
});
