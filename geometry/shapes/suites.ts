// Named lists of shapes that `splatgrad eval` (and `compare`) fit one after another with the
// same settings. `all` covers what a user's own object may be: knots, coils, separate parts, a
// cup, sharp edges, genus 2, 3 and 5, thin plates and sticks, and the classic bunny and teapot.

export const SUITES = {
  all: ['bunny', 'teapot', 'trefoil', 'coil', 'rings', 'cup', 'arrow', 'dumbbell', 'frame', 'table', 'plate2', 'plate3'],
  /** Two small, fast shapes (for trying the command, and for its spec). */
  quick: ['cube', 'torus'],
  /** Six of `all` for `splatgrad compare`, which fits each with every method, clean and noisy, in 15 minutes. */
  compare: ['bunny', 'teapot', 'trefoil', 'rings', 'cup', 'plate2'],
} as const satisfies Record<string, readonly string[]>;

export type SuiteName = keyof typeof SUITES;
