/** npm: every `node_modules/<name>/package.json` and `node_modules/@scope/<name>/package.json`, global ones too. */
import { purl, type FileAnalyzer, type RawPackage } from './types.js'

const MANIFEST = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/

export function parseNpmManifest(text: string, path: string): RawPackage[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return []
  }
  if (!json || typeof json !== 'object') return []
  const { name, version } = json as { name?: unknown; version?: unknown }
  if (typeof name !== 'string' || typeof version !== 'string' || !name || !version) return []
  const scoped = name.startsWith('@') && name.includes('/')
  const ns = scoped ? name.slice(0, name.indexOf('/')) : undefined
  const base = scoped ? name.slice(name.indexOf('/') + 1) : name
  return [{ type: 'npm', name, version, ecosystem: 'npm', purl: purl('npm', ns, base, version), path }]
}

export const npmAnalyzer: FileAnalyzer = {
  id: 'npm',
  match: (path) => MANIFEST.test(path),
  maxBytes: 1024 * 1024,
  parse: (path, data) => parseNpmManifest(data.toString('utf8'), path)
}
