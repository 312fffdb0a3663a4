import { expect } from 'chai';
import { NonFiniteError, assertFinite, firstNonFinite } from '../../lib/errors.js';

describe('firstNonFinite', () => {
  const kinds = [
    ['Float32Array', (n: number) => new Float32Array(n)],
    ['Float64Array', (n: number) => new Float64Array(n)],
    ['plain array', (n: number) => new Array<number>(n).fill(0)],
  ] as const;
  for (const [name, make] of kinds) {
    it(`finds the first NaN or infinity in a ${name}, in the body and in the tail of 4`, () => {
      for (const n of [1, 3, 4, 9, 1001]) {
        const a = make(n);
        for (let i = 0; i < n; i++) a[i] = i * 0.5 - 3;
        expect(firstNonFinite(a), `all finite, n = ${n}`).to.equal(-1);
        for (const [at, bad] of [
          [n - 1, NaN],
          [Math.floor(n / 2), Infinity],
          [0, -Infinity],
        ] as const) {
          const b = make(n);
          for (let i = 0; i < n; i++) b[i] = a[i];
          b[at] = bad;
          if (at + 1 < n) b[n - 1] = NaN; // a later one must not win
          expect(firstNonFinite(b), `${bad} at ${at} of ${n}`).to.equal(at);
        }
      }
    });
  }

  it('gives the same answers after one loop has seen every array type', () => {
    const arrays = kinds.map(([, make]) => {
      const a = make(10);
      a[7] = NaN;
      return a;
    });
    for (let round = 0; round < 3; round++) for (const a of arrays) expect(firstNonFinite(a)).to.equal(7);
    expect(firstNonFinite(new Int32Array([1, 2, 3]))).to.equal(-1);
  });

  it('assertFinite names the array, the value and its index', () => {
    expect(() => assertFinite(new Float32Array([1, 2, Infinity]), 'weights')).to.throw(NonFiniteError, /weights has a non-finite value \(Infinity\) at flat index 2/);
  });
});
