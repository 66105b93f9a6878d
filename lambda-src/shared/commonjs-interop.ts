/**
 * The exports of a lazily imported CommonJS package (the AWS SDK clients). Bundled by esbuild with
 * code splitting, the package becomes a chunk whose namespace holds `module.exports` as `default`
 * only; unbundled (tsx, vitest), Node's interop also exposes the named exports. `marker` is a named
 * export the package is known to have, which tells the two shapes apart.
 */
export function commonJsExports<Exports extends object>(namespace: object, marker: keyof Exports & string): Exports {
  if (marker in namespace || !("default" in namespace)) return namespace as Exports;
  return namespace.default as Exports;
}
