/** apk (Alpine, Wolfi, Chainguard): `/lib/apk/db/installed`, with the `o:` origin as the source package. */
import type { FileAnalyzer, RawPackage } from './types.js'

export function parseApkInstalled(text: string, path: string): RawPackage[] {
  const out: RawPackage[] = []
  let cur: Record<string, string> = {}
  const flush = (): void => {
    if (cur.P && cur.V) {
      const pkg: RawPackage = { type: 'apk', name: cur.P, version: cur.V, path }
      if (cur.A) pkg.arch = cur.A
      pkg.source = cur.o || cur.P
      pkg.sourceVersion = cur.V
      out.push(pkg)
    }
    cur = {}
  }
  for (const line of text.split(/\r?\n/)) {
    if (line === '') {
      flush()
      continue
    }
    if (line.length >= 2 && line[1] === ':') {
      const k = line[0]
      if (!(k in cur)) cur[k] = line.slice(2)
    }
  }
  flush()
  return out
}

export const apkAnalyzer: FileAnalyzer = {
  id: 'apk',
  match: (path) => path === 'lib/apk/db/installed',
  maxBytes: 64 * 1024 * 1024,
  parse: (path, data) => parseApkInstalled(data.toString('utf8'), path)
}
