/** dpkg: `/var/lib/dpkg/status` and the distroless `/var/lib/dpkg/status.d/<package>` files. */
import { parseControl, type FileAnalyzer, type RawPackage } from './types.js'

/** Parses a dpkg status file: installed packages, with their Source package and source version. */
export function parseDpkgStatus(text: string, path: string, requireStatus = true): RawPackage[] {
  const out: RawPackage[] = []
  for (const p of parseControl(text)) {
    const name = p.get('Package')
    const version = p.get('Version')
    if (!name || !version) continue
    const status = p.get('Status')
    if (status !== undefined) {
      // `want flag status`: only `installed` (not config-files, half-installed, not-installed) counts.
      if (status.split(/\s+/)[2] !== 'installed') continue
    } else if (requireStatus) {
      continue
    }
    const pkg: RawPackage = { type: 'deb', name, version, path }
    const arch = p.get('Architecture')
    if (arch) pkg.arch = arch
    const src = p.get('Source')
    if (src) {
      const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(src)
      if (m) {
        pkg.source = m[1]
        pkg.sourceVersion = m[2] ?? version
      }
    } else {
      pkg.source = name
      pkg.sourceVersion = version
    }
    out.push(pkg)
  }
  return out
}

export const dpkgAnalyzer: FileAnalyzer = {
  id: 'dpkg',
  format: () => 'dpkg',
  canonical: ['var/lib/dpkg/status', 'var/lib/dpkg/status.d/'],
  match: (path) => /(?:^|\/)lib\/dpkg\/(?:status|status\.d\/[^/]+)$/.test(path) && !path.endsWith('.md5sums'),
  maxBytes: 32 * 1024 * 1024,
  parse: (path, data) => parseDpkgStatus(data.toString('utf8'), path, !path.includes('/status.d/'))
}
