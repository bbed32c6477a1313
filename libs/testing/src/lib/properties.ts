import fc from 'fast-check';

/**
 * How property tests run: PROPERTY_RUNS cases each (default 300), from a fresh seed each run
 * unless PROPERTY_SEED is set. A failure prints its seed and shrunk case; PROPERTY_SEED=<seed>
 * (and PROPERTY_PATH=<path> from the same message) replays exactly that case.
 */
export function propertyParameters<T>(): fc.Parameters<T> {
  const runs = Number(process.env['PROPERTY_RUNS'] ?? 300);
  const seed = process.env['PROPERTY_SEED'];
  const path = process.env['PROPERTY_PATH'];
  return {
    numRuns: Number.isFinite(runs) && runs > 0 ? runs : 300,
    ...(seed !== undefined ? { seed: Number(seed) } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}

/** fc.assert with the project's parameters; each property may add its own (e.g. a smaller count). */
export function checkProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts>,
  parameters?: fc.Parameters<Ts>,
): Promise<void>;
export function checkProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts>,
  parameters?: fc.Parameters<Ts>,
): void;
export function checkProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  parameters: fc.Parameters<Ts> = {},
): void | Promise<void> {
  const options = { ...propertyParameters<Ts>(), ...parameters };
  return property.isAsync()
    ? fc.assert(property as fc.IAsyncProperty<Ts>, options)
    : fc.assert(property as fc.IProperty<Ts>, options);
}
