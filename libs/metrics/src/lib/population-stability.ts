/** Shares below this count as this much: an empty bin on one side would make the index infinite. */
const FLOOR = 1e-4;

/**
 * The population stability index of `actual` against `expected`, both counts over the same bins:
 * sum over bins of (a - e) ln(a / e) with a and e the shares of each bin. Under 0.1 is commonly
 * read as no real change, 0.1-0.25 as a moderate shift, above 0.25 as a significant one.
 */
export function populationStabilityIndex(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
): number {
  if (expected.length !== actual.length)
    throw new Error(
      `expected ${expected.length} bins and actual ${actual.length}: they must match`,
    );
  let expectedTotal = 0;
  let actualTotal = 0;
  for (let i = 0; i < expected.length; i++) {
    expectedTotal += expected[i];
    actualTotal += actual[i];
  }
  if (expectedTotal <= 0 || actualTotal <= 0) return Number.NaN;
  let index = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / expectedTotal, FLOOR);
    const a = Math.max(actual[i] / actualTotal, FLOOR);
    index += (a - e) * Math.log(a / e);
  }
  return index;
}
