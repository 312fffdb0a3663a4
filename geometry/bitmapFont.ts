// A tiny 3 x 5 pixel bitmap font (digits, letters, a little punctuation) so contact sheets can
// carry labels without a font file. Lower case is drawn as upper case; unknown characters as '?'.
// Each glyph is 5 rows of 3 pixels, top to bottom, '1' = ink.

const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001010010010',
  '8': '111101111101111',
  '9': '111101111001111',
  A: '010101111101101',
  B: '110101110101110',
  C: '011100100100011',
  D: '110101101101110',
  E: '111100110100111',
  F: '111100110100100',
  G: '011100101101011',
  H: '101101111101101',
  I: '111010010010111',
  J: '001001001101010',
  K: '101101110101101',
  L: '100100100100111',
  M: '101111111101101',
  N: '110101101101101',
  O: '010101101101010',
  P: '110101110100100',
  Q: '010101101110011',
  R: '110101110101101',
  S: '011100010001110',
  T: '111010010010010',
  U: '101101101101111',
  V: '101101101101010',
  W: '101101111111101',
  X: '101101010101101',
  Y: '101101010010010',
  Z: '111001010100111',
  ' ': '000000000000000',
  '.': '000000000000010',
  ',': '000000000010100',
  '-': '000000111000000',
  _: '000000000000111',
  ':': '000010000010000',
  '=': '000111000111000',
  '/': '001001010100100',
  '(': '010100100100010',
  ')': '010001001001010',
  '%': '101001010100101',
  '+': '000010111010000',
  '?': '111001010000010',
};

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;
/** Horizontal distance between glyph origins (one pixel of spacing). */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

/** Whether pixel (x, y) of the glyph for `ch` is ink. */
export function glyphPixel(ch: string, x: number, y: number): boolean {
  const glyph = GLYPHS[ch.toUpperCase()] ?? GLYPHS['?'];
  return glyph.charCodeAt(y * GLYPH_WIDTH + x) === 49; // '1'
}

/** Width in font pixels of `text` drawn on one line. */
export function textWidth(text: string): number {
  return text.length === 0 ? 0 : text.length * GLYPH_ADVANCE - 1;
}
