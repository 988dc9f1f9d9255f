/** What the inventory analyzers share: the packages a file yields, before the final view and attribution. */
import type { PackageType } from '../types.js'

export interface RawPackage {
  type: PackageType
  name: string
  version: string
  source?: string
  sourceVersion?: string
  arch?: string
  /** Fixed for language ecosystems (`npm`, `PyPI`, `Go`, `Maven`); OS packages take the OS's ecosystem later. */
  ecosystem?: string
  /** The purl, for language packages; OS package purls need the OS and are made later. */
  purl?: string
  /** Where the package was found: the database file, manifest, binary or archive. */
  path: string
}

/** An analyzer of whole files: it names the files it wants and parses each one's bytes. */
export interface FileAnalyzer {
  id: string
  match(path: string): boolean
  /** The largest file it reads; bigger files are skipped. */
  maxBytes: number
  parse(path: string, data: Buffer): RawPackage[]
  /** For a package database: its format as the coverage report names it (`rpm-bdb`, `apk`, `dpkg`). */
  format?: (path: string) => string
  /**
   * For a package database: the root-relative paths where the tool that owns it opens it; a trailing `/`
   * stands for every file directly in that directory. A matching file then counts only when one of these
   * paths leads to it through the image's own symlinks (a copy elsewhere is not the installed database).
   */
  canonical?: string[]
}

/** Percent-encodes one purl segment as the purl specification asks. */
export function purlEncode(s: string): string {
  return encodeURIComponent(s).replace(/%3A/g, ':')
}

/** Builds a purl: `pkg:type/namespace/name@version?k=v`. */
export function purl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string,
  qualifiers: Record<string, string | undefined> = {}
): string {
  const ns = namespace
    ? namespace
        .split('/')
        .map((p) => purlEncode(p))
        .join('/') + '/'
    : ''
  let out = `pkg:${type}/${ns}${purlEncode(name)}@${purlEncode(version)}`
  const q = Object.entries(qualifiers)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort((a, b) => a[0].localeCompare(b[0]))
  if (q.length > 0) out += '?' + q.map(([k, v]) => `${k}=${purlEncode(v)}`).join('&')
  return out
}

/** Splits RFC 822-style text (dpkg status, METADATA) into paragraphs of fields; continuation lines are joined. */
export function parseControl(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = []
  let cur = new Map<string, string>()
  let last: string | undefined
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (cur.size > 0) out.push(cur)
      cur = new Map()
      last = undefined
      continue
    }
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      cur.set(last, cur.get(last) + '\n' + line.trim())
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    last = line.slice(0, colon).trim()
    if (!cur.has(last)) cur.set(last, line.slice(colon + 1).trim())
  }
  if (cur.size > 0) out.push(cur)
  return out
}

/** What a streamed file yielded: its packages, and what inside it could not be read (nested archives). */
export interface StreamResult {
  packages: RawPackage[]
  skipped: { path: string; reason: string }[]
}

/**
 * The bytes of one file as they stream past (the same shape as the layer reader's sinks): `chunk` is valid only
 * during the call, so a sink that keeps bytes copies them.
 */
export interface ByteSink {
  write(chunk: Buffer): void
  end(): void
}

/**
 * An analyzer of files read as they stream, never held whole, for files of any size (Java archives, Rust
 * binaries): it names the entries it wants and gives a sink that reports once, at the file's end.
 */
export interface StreamAnalyzer {
  id: string
  match(path: string, mode: number, size: number): boolean
  open(path: string, size: number, done: (result: StreamResult) => void): ByteSink
}
