// Float32 values (colours, float PLY properties) printed with the fewest digits that read back to
// the same float32: String(x) would print the float64 expansion (0.20000000298023224).

/** Shortest decimal text that parses back to the same float32 value as `x`. */
export function float32Text(x: number): string {
  const target = Math.fround(x);
  if (!Number.isFinite(target)) return String(target);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(target.toPrecision(digits)));
    if (Math.fround(Number(text)) === target) return text;
  }
  return String(Number(target.toPrecision(9))); // 9 significant digits always identify a float32
}
