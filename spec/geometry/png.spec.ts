import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import { type FloatImage, assertSameSize, createImage, imageFromData } from '../../geometry/image.js';
import { decodePng, encodePng, readPng, writePng } from '../../geometry/png.js';
import { Camera } from '../../geometry/camera.js';
import { depthToColor, normalsToColor } from '../../geometry/colormap.js';
import { tensor } from '../../lib/create.js';
import { ewaSplat } from '../../ops/splat/ewaSplat.js';

function randomImage(width: number, height: number, channels: number, seed: number): FloatImage {
  const rng = new Random(seed);
  return imageFromData(
    Float32Array.from({ length: width * height * channels }, () => rng.next()),
    width,
    height,
    channels,
  );
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('image and png', () => {
  it('createImage fills per channel; imageFromData and assertSameSize check sizes', () => {
    const im = createImage(2, 3, 3, [0.1, 0.2, 0.3]);
    expect(im.data.length).to.equal(18);
    expect(Array.from(im.data.subarray(15))).to.deep.equal(Array.from(new Float32Array([0.1, 0.2, 0.3])));
    expect(() => imageFromData(new Float32Array(5), 2, 3, 1)).to.throw(ShapeError, /image.data has 5 samples but 2 x 3 x 1 needs 6/);
    expect(() => createImage(0, 3, 1)).to.throw(ArgumentError, /width/);
    expect(() => createImage(2, 2, 5)).to.throw(ArgumentError, /channels/);
    expect(() => assertSameSize(im, createImage(3, 2, 3), 'render', 'target')).to.throw(ShapeError, /render is 2 x 3 x 3 but target is 3 x 2 x 3/);
  });

  for (const channels of [1, 2, 3, 4]) {
    for (const bitDepth of [8, 16] as const) {
      it(`round trip: ${channels} channel(s), ${bitDepth}-bit, within half a quantization step`, () => {
        const im = randomImage(7, 5, channels, channels * 10 + bitDepth);
        const back = decodePng(encodePng(im, { bitDepth }));
        expect([back.width, back.height, back.channels]).to.deep.equal([7, 5, channels]);
        const step = 1 / (bitDepth === 8 ? 255 : 65535);
        expect(maxDifference(im.data, back.data)).to.be.at.most(step / 2 + 1e-7);
        expect(maxDifference(im.data, back.data)).to.be.greaterThan(0); // it really was quantized
      });
    }
  }

  it('clamps samples to [0, 1] and keeps alpha', () => {
    const im = imageFromData(new Float32Array([-0.5, 2, 0.5, 0, 1, 1, 1, 0.25]), 2, 1, 4);
    const back = decodePng(encodePng(im, { bitDepth: 16 }));
    expect(Array.from(back.data.subarray(0, 2))).to.deep.equal([0, 1]);
    expect(back.data[3]).to.equal(0);
    expect(back.data[7]).to.be.closeTo(0.25, 1e-4);
  });

  it("writes the renderer's image tensors [H, W, C] and [H, W] directly, and the colour maps of its depth and normals", () => {
    const camera = Camera.lookAt({ eye: [0, 0, 3], target: [0, 0, 0], width: 20, height: 12 });
    const P = tensor([
        [0, 0, 0],
        [0.2, 0.1, 0],
      ]),
      N = tensor([
        [0, 0, 1],
        [0, 0, 1],
      ]);
    const r = ewaSplat(
      P,
      N,
      tensor([
        [1, 0, 0],
        [0, 1, 0],
      ]),
      camera,
      { sigma: 0.1 },
    );
    const dir = mkdtempSync(join(tmpdir(), 'splatgrad-png-tensor-'));
    try {
      for (const [name, image, channels] of [
        ['color', r.image, 3],
        ['alpha', r.alpha, 1],
        ['depth', depthToColor(r.depth), 4],
        ['normal', normalsToColor(r.normal, { background: 'black' }), 3],
      ] as const) {
        writePng(join(dir, `${name}.png`), image);
        const back = readPng(join(dir, `${name}.png`));
        expect(back, name).to.include({ width: 20, height: 12, channels });
      }
      expect(Math.max(...readPng(join(dir, 'alpha.png')).data)).to.equal(1);
      expect(() => writePng(join(dir, 'x.png'), tensor([1, 2, 3]))).to.throw(ShapeError, /\[height, width\] or \[height, width, channels\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects NaN samples and a bad bit depth', () => {
    const im = createImage(2, 2, 1);
    im.data[3] = NaN;
    expect(() => encodePng(im)).to.throw(NonFiniteError, /image.data/);
    expect(() => encodePng(createImage(2, 2, 1), { bitDepth: 4 as 8 })).to.throw(ArgumentError, /bitDepth/);
  });

  it('reads 1-bit gray and palette PNGs written by other tools', () => {
    const gray = decodePng(encode({ width: 10, height: 1, channels: 1, depth: 1, data: new Uint8Array([0b10110000, 0b01000000]) }));
    expect(Array.from(gray.data)).to.deep.equal([1, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
    const pal = decodePng(
      encode({
        width: 2,
        height: 1,
        channels: 1,
        depth: 8,
        data: new Uint8Array([1, 0]),
        palette: [
          [255, 0, 0],
          [0, 0, 255],
        ],
      }),
    );
    expect(pal.channels).to.equal(3);
    expect(Array.from(pal.data)).to.deep.equal([0, 0, 1, 1, 0, 0]);
  });

  describe('files', () => {
    let dir = '';
    before(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-png-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('writePng then readPng returns the image', () => {
      const im = randomImage(4, 3, 3, 1);
      const path = join(dir, 'round.png');
      writePng(path, im, { bitDepth: 16 });
      const back = readPng(path);
      expect(maxDifference(im.data, back.data)).to.be.lessThan(1e-4);
    });

    it('decodes a view into a larger buffer like an exact copy: nothing past the view is read', () => {
      const bytes = encodePng(randomImage(8, 8, 3, 2));
      const view = bytes.subarray(0, bytes.length - 30); // the rest of the PNG is still in the buffer
      const outcome = (b: Uint8Array) => {
        try {
          decodePng(b, 'cut.png');
          return 'decoded';
        } catch (e) {
          return (e as Error).message;
        }
      };
      expect(outcome(view)).to.equal(outcome(new Uint8Array(view)));
      expect(outcome(view)).to.match(/cut.png: not a readable PNG.*truncated/);
    });

    it('corrupt, truncated, foreign and missing files give errors naming the file', () => {
      const bytes = encodePng(randomImage(8, 8, 3, 2));
      const corrupt = bytes.slice();
      corrupt[bytes.length - 20] ^= 0xff; // inside the image data: the chunk checksum fails
      const cases: [string, Uint8Array, RegExp][] = [
        ['corrupt.png', corrupt, /CRC/],
        ['truncated.png', bytes.subarray(0, bytes.length - 30), /truncated/],
        ['header-only.png', bytes.subarray(0, 20), /truncated/],
        ['text.png', new TextEncoder().encode('not an image at all'), /signature/],
      ];
      for (const [name, data, why] of cases) {
        const path = join(dir, name);
        writeFileSync(path, data);
        expect(() => readPng(path), name).to.throw(ArgumentError, new RegExp(`${name}: not a readable PNG.*${why.source}`));
      }
      expect(() => readPng(join(dir, 'missing.png'))).to.throw(ArgumentError, /missing.png: cannot read the file/);
    });
  });
});
