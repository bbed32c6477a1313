/** The scheme of a location: `gs` for `gs://b/k`, `file` for `file:///x`, `` for a plain path. */
export function schemeOf(uri: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri);
  return match ? match[1].toLowerCase() : '';
}

/** Joins a base location and relative parts with single slashes, keeping the scheme. */
export function joinLocation(base: string, ...parts: string[]): string {
  let joined = base.replace(/\/+$/, '');
  for (const part of parts) {
    const clean = part.replace(/^\/+|\/+$/g, '');
    if (clean) joined = `${joined}/${clean}`;
  }
  return joined;
}

/** The last segment of a location (`gs://b/a/model.json` -> `model.json`). */
export function baseName(uri: string): string {
  const trimmed = uri.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
