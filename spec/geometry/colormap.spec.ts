import { expect } from 'chai';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';
import { imageFromData } from '../../geometry/image.js';
import { depthToColor, normalsToColor, viridis } from '../../geometry/colormap.js';

const rgb = (hex: number) => [(hex >> 16) / 255, ((hex >> 8) & 255) / 255, (hex & 255) / 255];

function expectColor(got: ArrayLike<number>, want: number[], tolerance = 1e-6): void {
  for (let c = 0; c < want.length; c++) expect(got[c], `channel ${c}`).to.be.closeTo(want[c], tolerance);
}

describe('colormap', () => {
  it('viridis: dark purple at 0, yellow at 1, teal at 0.5 (matplotlib #21918c), clamped outside', () => {
    expectColor(viridis(0), rgb(0x440154));
    expectColor(viridis(1), rgb(0xfde725));
    expectColor(viridis(0.5), rgb(0x21918c), 2 / 255);
    expectColor(viridis(-3), rgb(0x440154));
    expectColor(viridis(7), rgb(0xfde725));
    expect(() => viridis(NaN)).to.throw(NonFiniteError);
  });

  it('depthToColor: near is bright, far is dark, empty (0 or Infinity) is transparent', () => {
    const depth = imageFromData(new Float32Array([2, 4, 0, Infinity, 3]), 5, 1, 1);
    const out = depthToColor(depth);
    expect(out.channels).to.equal(4);
    expectColor(out.data.subarray(0, 4), [...rgb(0xfde725), 1]);
    expectColor(out.data.subarray(4, 8), [...rgb(0x440154), 1]);
    expect(Array.from(out.data.subarray(8, 16))).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0]);
    expectColor(out.data.subarray(16, 19), Array.from(viridis(0.5)));
  });

  it('depthToColor: an explicit range clamps, black background gives RGB', () => {
    const depth = imageFromData(new Float32Array([1, 10, 0]), 3, 1, 1);
    const out = depthToColor(depth, { near: 2, far: 6, background: 'black' });
    expect(out.channels).to.equal(3);
    expectColor(out.data.subarray(0, 3), rgb(0xfde725));
    expectColor(out.data.subarray(3, 6), rgb(0x440154));
    expect(Array.from(out.data.subarray(6))).to.deep.equal([0, 0, 0]);
  });

  it('depthToColor rejects NaN depth and a multi-channel image', () => {
    expect(() => depthToColor(imageFromData(new Float32Array([1, NaN]), 2, 1, 1))).to.throw(NonFiniteError, /depth.data\[1\]/);
    expect(() => depthToColor(imageFromData(new Float32Array(6), 2, 1, 3))).to.throw(ArgumentError, /1 channel/);
  });

  it('normalsToColor: (n + 1) / 2, zero normals are background, optional rotation', () => {
    const normals = imageFromData(new Float32Array([1, 0, 0, 0, -1, 0, 0, 0, 0]), 3, 1, 3);
    const out = normalsToColor(normals);
    expectColor(out.data.subarray(0, 4), [1, 0.5, 0.5, 1]);
    expectColor(out.data.subarray(4, 8), [0.5, 0, 0.5, 1]);
    expect(Array.from(out.data.subarray(8))).to.deep.equal([0, 0, 0, 0]);
    // a rotation that maps x to z
    const rotated = normalsToColor(normals, { rotation: [0, 0, 1, 0, 1, 0, -1, 0, 0], background: 'black' });
    expectColor(rotated.data.subarray(0, 3), [0.5, 0.5, 0]);
  });
});
