/** PyPI: installed distributions, `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (or an `*.egg-info` file). */
import { parseControl, purl, type FileAnalyzer, type RawPackage } from './types.js'

/** The normalized project name (PEP 503), as purls and OSV compare PyPI names. */
export function normalizePyPIName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

export function parsePythonMetadata(text: string, path: string): RawPackage[] {
  // Only the header block: the long description after the first blank line is not needed.
  const end = text.search(/\r?\n\r?\n/)
  const head = parseControl(end >= 0 ? text.slice(0, end) : text)[0]
  const name = head?.get('Name')
  const version = head?.get('Version')
  if (!name || !version) return []
  return [
    {
      type: 'pypi',
      name,
      version,
      ecosystem: 'PyPI',
      purl: purl('pypi', undefined, normalizePyPIName(name), version),
      path
    }
  ]
}

export const pythonAnalyzer: FileAnalyzer = {
  id: 'python',
  match: (path) =>
    /\.dist-info\/METADATA$/.test(path) || /\.egg-info\/PKG-INFO$/.test(path) || /[^/]\.egg-info$/.test(path),
  maxBytes: 4 * 1024 * 1024,
  parse: (path, data) => parsePythonMetadata(data.toString('utf8'), path)
}
