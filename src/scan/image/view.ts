/**
 * The final view of the image's filesystem, for what was recorded: each layer's whiteouts and opaque
 * directories hide what lower layers had, and a later copy of a path replaces an earlier one.
 */
import type { RawPackage } from '../inventory/types.js'
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

/** The packages of the final view. */
export function finalPackages(records: LayerRecord[]): ViewPackage[] {
  const paths = new Set<string>()
  for (const r of records) for (const p of r.files.keys()) paths.add(p)
  const out: ViewPackage[] = []
  for (const path of paths) {
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
