/**
 * PHP Composer: `vendor/composer/installed.json`, which Composer writes for every install, in its two shapes:
 * Composer 1's array of packages and Composer 2's `{ "packages": [...] }`. Versions are as Composer records
 * them, less the leading `v` of a tag (`v5.4.21` is `5.4.21`, as Packagist advisories write versions);
 * development branches (`dev-main`) have no release to match and are listed as they are.
 */
import { purl, type FileAnalyzer, type RawPackage } from './types.js'

interface ComposerPackage {
  name?: unknown
  version?: unknown
}

export function parseComposerInstalled(text: string, path: string): RawPackage[] {
  const json = JSON.parse(text) as unknown
  const list: unknown = Array.isArray(json) ? json : (json as { packages?: unknown } | null)?.packages
  if (!Array.isArray(list)) throw new Error('installed.json has neither a package array nor "packages"')
  const out: RawPackage[] = []
  for (const p of list as ComposerPackage[]) {
    if (typeof p?.name !== 'string' || typeof p.version !== 'string' || !p.name.includes('/')) continue
    const version = p.version.replace(/^v(?=\d)/, '')
    const [vendor, name] = [p.name.slice(0, p.name.indexOf('/')), p.name.slice(p.name.indexOf('/') + 1)]
    out.push({
      type: 'composer',
      name: p.name,
      version,
      ecosystem: 'Packagist',
      purl: purl('composer', vendor, name, version),
      path
    })
  }
  return out
}

export const composerAnalyzer: FileAnalyzer = {
  id: 'composer',
  match: (path) => /(?:^|\/)vendor\/composer\/installed\.json$/.test(path),
  maxBytes: 16 * 1024 * 1024,
  parse: (path, data) => parseComposerInstalled(data.toString('utf8'), path)
}
