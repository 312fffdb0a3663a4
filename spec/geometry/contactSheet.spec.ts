import { expect } from 'chai';
import { ArgumentError } from '../../lib/errors.js';
import { createImage } from '../../geometry/image.js';
import { contactSheet } from '../../geometry/contactSheet.js';

describe('contactSheet', () => {
  it('lays images out in a grid with gaps, converting gray to RGB', () => {
    const a = createImage(4, 3, 3, [1, 0, 0]);
    const b = createImage(4, 3, 1, 0.5);
    const c = createImage(2, 1, 3, [0, 0, 1]);
    const sheet = contactSheet([a, b, c], { columns: 2, gap: 1 });
    expect([sheet.width, sheet.height, sheet.channels]).to.deep.equal([2 * 4 + 3, 2 * 3 + 3, 3]);
    const at = (x: number, y: number) => Array.from(sheet.data.subarray((y * sheet.width + x) * 3, (y * sheet.width + x) * 3 + 3));
    expect(at(0, 0)).to.deep.equal([0, 0, 0]); // gap
    expect(at(1, 1)).to.deep.equal([1, 0, 0]); // a's top-left
    expect(at(6, 1)).to.deep.equal([0.5, 0.5, 0.5]); // b, gray to RGB
    // c (2 x 1) centred in the 4 x 3 cell at (1, 5): pixels x 2..3, y 6
    expect(at(3, 6)).to.deep.equal([0, 0, 1]);
    expect(at(1, 6)).to.deep.equal([0, 0, 0]);
  });

  it('composites alpha over the background by default', () => {
    const a = createImage(2, 2, 4, [1, 1, 1, 0.25]);
    const sheet = contactSheet([a], { background: [0, 0, 1], gap: 1 });
    expect(sheet.channels).to.equal(3);
    const p = (1 * sheet.width + 1) * 3;
    expect(Array.from(sheet.data.subarray(p, p + 3))).to.deep.equal([0.25, 0.25, 1]);
  });

  it('keeps alpha with flatten: false; labels draw ink under the image, inside the cell', () => {
    const a = createImage(20, 10, 4, [0, 1, 0, 0.5]);
    const sheet = contactSheet([a, createImage(20, 10, 3)], { labels: ['A1', ''], gap: 0, columns: 2, flatten: false });
    expect(sheet.channels).to.equal(4);
    expect(sheet.height).to.be.greaterThan(10);
    expect(sheet.data[3]).to.equal(0.5);
    const inkIn = (x0: number, x1: number) => {
      let ink = 0;
      for (let y = 10; y < sheet.height; y++) for (let x = x0; x < x1; x++) ink += sheet.data[(y * sheet.width + x) * 4];
      return ink;
    };
    expect(inkIn(0, 20)).to.be.greaterThan(0);
    expect(inkIn(20, 40)).to.equal(0);
  });

  it('rejects no images, mismatched labels and bad options', () => {
    expect(() => contactSheet([])).to.throw(ArgumentError, /non-empty/);
    expect(() => contactSheet([createImage(2, 2, 3)], { labels: ['a', 'b'] })).to.throw(ArgumentError, /one string per image/);
    expect(() => contactSheet([createImage(2, 2, 3)], { columns: 0 })).to.throw(ArgumentError, /columns/);
    expect(() => contactSheet([createImage(2, 2, 3)], { background: [0, 0] })).to.throw(ArgumentError, /background/);
  });
});
