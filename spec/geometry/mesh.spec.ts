// boundingBox: the unit of every reported distance, so it must never answer Infinity or NaN.

import { expect } from 'chai';
import { loadMesh } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';

describe('boundingBox', () => {
  it('bounds flat triples, a number array, and a mesh or cloud given whole', () => {
    const b = boundingBox(new Float64Array([0, 0, 0, 1, 2, 2]));
    expect(b).to.deep.equal({ min: [0, 0, 0], max: [1, 2, 2], center: [0.5, 1, 1], diagonal: 3 });
    expect(boundingBox([0, 0, 0, 1, 2, 2])).to.deep.equal(b);
    const mesh = loadMesh('cube');
    expect(boundingBox(mesh)).to.deep.equal(boundingBox(mesh.positions));
  });

  it('throws a typed error for what it does not understand, instead of answering Infinity or NaN', () => {
    expect(() => boundingBox({ faces: new Uint32Array(3) } as never)).to.throw(ArgumentError, /expected flat xyz triples .* or a mesh or point cloud \{ positions \}, got object/);
    expect(() => boundingBox(new Uint8Array(3) as never)).to.throw(ArgumentError, /got a Uint8Array/);
    expect(() => boundingBox(new Float64Array(4))).to.throw(ShapeError, /not a multiple of 3/);
    expect(() => boundingBox(new Float64Array([0, 0, 0, NaN, 1, 1]))).to.throw(NonFiniteError, /boundingBox: positions/);
    expect(() => boundingBox(new Float64Array([0, 0, Infinity]))).to.throw(NonFiniteError);
    expect(() => boundingBox(new Float64Array(0))).to.throw(ArgumentError, /empty/);
  });
});
