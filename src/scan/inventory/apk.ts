/**
 * apk (Alpine, Wolfi, Chainguard): the installed database `/lib/apk/db/installed`, or `/usr/lib/apk/db/installed`
 * where the image is usr-merged (Wolfi, Chainguard: `/lib` is a symlink to `usr/lib`), with the `o:` origin as
 * the source package. The image's own symlinks decide which file is the database (see image/view.ts).
 */
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
  format: () => 'apk',
  canonical: ['lib/apk/db/installed', 'usr/lib/apk/db/installed'],
  match: (path) => /(?:^|\/)lib\/apk\/db\/installed$/.test(path),
  maxBytes: 32 * 1024 * 1024,
  parse: (path, data) => parseApkInstalled(data.toString('utf8'), path)
}
