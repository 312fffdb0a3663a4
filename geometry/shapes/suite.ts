// Named lists of shapes that the commands comparing methods share (`splatgrad compare --suite
// NAME`, and later `eval`): built-in names or mesh paths. Small on purpose; the generalization
// work adds its suite here.

export const SHAPE_SUITES: Readonly<Record<string, readonly string[]>> = {
  /** Every closed built-in shape. */
  builtin: ['sphere', 'cube', 'torus', 'teapot', 'bunny'],
  /** One shape, for a quick look. */
  tiny: ['sphere'],
};

export const DEFAULT_SUITE = 'builtin';
