/**
 * The final view of the image's filesystem, for what was recorded: each layer's whiteouts and opaque
 * directories hide what lower layers had, and a later copy of a path replaces an earlier one. Paths are
 * resolved inside the image's merged filesystem, through the image's own symlinks (never the host's): a
 * package database counts only where the tool that owns it would open it (`/lib/apk/db/installed` with `/lib`
 * a symlink to `usr/lib` reaches `usr/lib/apk/db/installed`), and a file under a directory that a later layer
 * replaced with a symlink is gone.
 */
import type { FileAnalyzer, RawPackage } from '../inventory/types.js'
import { ancestors, resolveLink } from './paths.js'
import type { LayerRecord, OsFile } from './record.js'

/** True when layer `r` hides a `path` that came from a lower layer. */
export function hides(r: LayerRecord, path: string): boolean {
  if (r.whiteouts.has(path)) return true
  if (r.whiteouts.size === 0 && r.opaque.size === 0) return false
  for (const a of ancestors(path)) {
    if (r.whiteouts.has(a) || r.opaque.has(a)) return true
  }
  return r.opaque.has('')
}

/** True when a layer above `index` hides `path`. */
export function deletedAfter(records: LayerRecord[], index: number, path: string): boolean {
  for (let j = index + 1; j < records.length; j++) if (hides(records[j], path)) return true
  return false
}

/** One package of the final view, with the lowest layer since which it has been there unchanged. */
export interface ViewPackage {
  pkg: RawPackage
  layer: number
}

function key(p: RawPackage): string {
  return `${p.type}\0${p.name}\0${p.version}\0${p.arch ?? ''}`
}

/** The symlinks of the final view: a later file, directory or deletion at the same path removes one. */
export function finalLinks(records: LayerRecord[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const r of records) {
    for (const p of [...out.keys()]) {
      if (r.files.has(p) || r.dirs.has(p) || r.fileErrors.has(p) || hides(r, p)) out.delete(p)
    }
    for (const [p, t] of r.links) out.set(p, t)
  }
  return out
}

/**
 * Resolves a root-relative path through the final view's symlinks, as the kernel would inside the container
 * (`..` stops at the image root). Undefined when a link loops or points at the root itself.
 */
export function resolveInView(path: string, links: Map<string, string>): string | undefined {
  let parts = path.split('/').filter((p) => p !== '')
  let hops = 0
  for (let i = 0; i < parts.length; i++) {
    const prefix = parts.slice(0, i + 1).join('/')
    const target = links.get(prefix)
    if (target === undefined) continue
    if (++hops > 40) return undefined
    const to = resolveLink(prefix, target)
    if (to === undefined) return undefined
    parts = [...to.split('/'), ...parts.slice(i + 1)]
    i = -1
  }
  return parts.join('/')
}

/** Which recorded files are live: not under a symlinked directory, and for databases, where the tool looks. */
export class FileScope {
  private readonly links: Map<string, string>
  private readonly reached = new Set<string>()
  private readonly reachedDirs = new Set<string>()

  constructor(
    records: LayerRecord[],
    private readonly analyzers: FileAnalyzer[] = []
  ) {
    this.links = finalLinks(records)
    for (const a of analyzers) {
      for (const c of a.canonical ?? []) {
        const dir = c.endsWith('/')
        const at = resolveInView(dir ? c.slice(0, -1) : c, this.links)
        if (at !== undefined) (dir ? this.reachedDirs : this.reached).add(at)
      }
    }
  }

  /** The analyzer that read `path` (the first that matches, as the layer reader picks it). */
  analyzer(path: string): FileAnalyzer | undefined {
    return this.analyzers.find((a) => a.match(path))
  }

  /** The canonical database location a physical path serves, with directory databases grouped. */
  databasePath(path: string): string {
    const dir = path.slice(0, Math.max(0, path.lastIndexOf('/')))
    return this.reachedDirs.has(dir) && !this.reached.has(path) ? dir : path
  }

  live(path: string): boolean {
    for (const a of ancestors(path)) if (this.links.has(a)) return false
    const an = this.analyzer(path)
    if (!an?.canonical) return true
    if (this.reached.has(path)) return true
    const dir = path.slice(0, Math.max(0, path.lastIndexOf('/')))
    return this.reachedDirs.has(dir)
  }
}

/** The packages of the final view. */
export function finalPackages(records: LayerRecord[], analyzers: FileAnalyzer[] = []): ViewPackage[] {
  const scope = new FileScope(records, analyzers)
  const paths = new Set<string>()
  for (const r of records) for (const p of r.files.keys()) paths.add(p)
  const out: ViewPackage[] = []
  for (const path of paths) {
    if (!scope.live(path)) continue
    // The unbroken run of versions of this file up to the top; a deletion starts it over.
    let chain: { layer: number; pkgs: RawPackage[] }[] = []
    records.forEach((r, i) => {
      if (chain.length > 0 && hides(r, path)) chain = []
      const pkgs = r.files.get(path)
      if (pkgs) chain.push({ layer: i, pkgs })
    })
    if (chain.length === 0) continue
    const top = chain[chain.length - 1]
    const since = new Map<string, number>()
    for (const p of top.pkgs) since.set(key(p), top.layer)
    for (let c = chain.length - 2; c >= 0; c--) {
      const present = new Set(chain[c].pkgs.map(key))
      for (const [k, layer] of since) {
        if (layer === chain[c + 1].layer && present.has(k)) since.set(k, chain[c].layer)
      }
    }
    for (const p of top.pkgs) out.push({ pkg: p, layer: since.get(key(p)) ?? top.layer })
  }
  return out
}

/** A package database in the final view, and what reading it gave. */
export interface ViewDatabase {
  path: string
  format: string
  packages: number
  error?: string
}

/** A file of the final view that an analyzer matched but could not read, and why. */
export interface ViewSkip {
  path: string
  reason: string
}

/** The top-most version of each recorded file that is still in the final view, with its layer. */
function finalFiles(records: LayerRecord[], scope: FileScope): Map<string, number> {
  const top = new Map<string, number>()
  records.forEach((r, i) => {
    for (const p of r.files.keys()) top.set(p, i)
    for (const p of r.fileErrors.keys()) top.set(p, i)
  })
  for (const [p, i] of top) if (deletedAfter(records, i, p) || !scope.live(p)) top.delete(p)
  return top
}

/** The package databases of the final view (files whose analyzer names a format), read or not. */
export function finalDatabases(records: LayerRecord[], analyzers: FileAnalyzer[]): ViewDatabase[] {
  const scope = new FileScope(records, analyzers)
  const out = new Map<string, ViewDatabase>()
  for (const [path, i] of finalFiles(records, scope)) {
    const an = scope.analyzer(path)
    if (!an?.format) continue
    const at = scope.databasePath(path)
    const db = out.get(at) ?? { path: '/' + at, format: an.format(path), packages: 0 }
    db.packages += records[i].files.get(path)?.length ?? 0
    const err = records[i].fileErrors.get(path)
    if (err) {
      // A directory database (dpkg's status.d) names the file that failed.
      const msg = at === path ? err.reason : `/${path}: ${err.reason}`
      db.error = db.error ? `${db.error}; ${msg}` : msg
    }
    out.set(at, db)
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path))
}

/** Files of the final view that an analyzer matched and could not read (over a limit, corrupt). */
export function finalSkipped(records: LayerRecord[], analyzers: FileAnalyzer[]): ViewSkip[] {
  const scope = new FileScope(records, analyzers)
  const out: ViewSkip[] = []
  for (const [path, i] of finalFiles(records, scope)) {
    const err = records[i].fileErrors.get(path)
    if (err) out.push({ path: '/' + path, reason: `${err.analyzer}: ${err.reason}` })
    for (const s of records[i].innerSkips.get(path) ?? []) out.push({ path: '/' + s.path, reason: s.reason })
  }
  return out.sort((a, b) => a.path.localeCompare(b.path))
}

/** The release files of the final view, as text; a symlinked `etc/os-release` is followed. */
export function finalOsFiles(records: LayerRecord[]): Map<string, string> {
  const latest = new Map<string, OsFile>()
  const paths = new Set<string>()
  for (const r of records) for (const p of r.osFiles.keys()) paths.add(p)
  for (const path of paths) {
    let cur: OsFile | undefined
    for (const r of records) {
      if (cur && hides(r, path)) cur = undefined
      cur = r.osFiles.get(path) ?? cur
    }
    if (cur) latest.set(path, cur)
  }
  const out = new Map<string, string>()
  for (const [path] of latest) {
    let at: string | undefined = path
    for (let hops = 0; at && hops < 8; hops++) {
      const f = latest.get(at)
      if (!f) break
      if ('text' in f) {
        out.set(path, f.text)
        break
      }
      at = resolveLink(at, f.link)
    }
  }
  return out
}

export interface ModeInView {
  path: string
  mode: number
  layer: number
}

/**
 * Setuid/setgid files still in the final view, with the mode of the top-most copy: a later layer that holds the
 * same path again (another setuid copy, or the file with the bits cleared by `chmod u-s,g-s`) replaces it.
 */
export function finalSetuid(records: LayerRecord[]): ModeInView[] {
  const out: ModeInView[] = []
  records.forEach((r, i) => {
    for (const [path, mode] of r.setuid) {
      const replaced = records
        .slice(i + 1)
        .some((later) => later.setuid.has(path) || later.plainExecs.has(path))
      if (!replaced && !deletedAfter(records, i, path)) out.push({ path, mode, layer: i })
    }
  })
  return out
}

/** World-writable directories without the sticky bit in the final view (the top-most entry's mode counts). */
export function finalWorldWritable(records: LayerRecord[]): ModeInView[] {
  const top = new Map<string, ModeInView>()
  records.forEach((r, i) => {
    if (r.whiteouts.size > 0 || r.opaque.size > 0) {
      for (const path of [...top.keys()]) if (hides(r, path)) top.delete(path)
    }
    for (const [path, mode] of r.dirs) top.set(path, { path, mode, layer: i })
  })
  return [...top.values()].filter((d) => (d.mode & 0o002) !== 0 && (d.mode & 0o1000) === 0)
}
