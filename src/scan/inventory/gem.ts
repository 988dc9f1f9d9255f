/**
 * RubyGems: the specifications RubyGems writes for every installed gem (`<gem home>/specifications/*.gemspec`,
 * and the default gems of Ruby itself under `specifications/default/`). The file is Ruby code; its
 * `s.name = "…"` and `s.version = "…"` assignments (or the `# stub: name version` line) give the gem.
 */
import { purl, type FileAnalyzer, type RawPackage } from './types.js'

const STRING = String.raw`["']([^"']+)["']`

export function parseGemspec(text: string, path: string): RawPackage[] {
  const name = new RegExp(String.raw`^\s*\w+\.name\s*=\s*${STRING}`, 'm').exec(text)?.[1]
  const version =
    new RegExp(String.raw`^\s*\w+\.version\s*=\s*(?:Gem::Version\.new\(\s*)?${STRING}`, 'm').exec(
      text
    )?.[1] ?? /^# stub: \S+ (\S+)/m.exec(text)?.[1]
  if (!name || !version) return []
  return [
    { type: 'gem', name, version, ecosystem: 'RubyGems', purl: purl('gem', undefined, name, version), path }
  ]
}

export const gemAnalyzer: FileAnalyzer = {
  id: 'gem',
  match: (path) => /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/.test(path),
  maxBytes: 1024 * 1024,
  parse: (path, data) => parseGemspec(data.toString('utf8'), path)
}
