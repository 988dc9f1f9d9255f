/**
 * A cache of the name index of an offline OSV `all.zip` (prepare.ts), so that indexing a database is done once
 * and not on every scan: inflating and reading every record of osv.dev's Debian `all.zip` costs seconds of CPU,
 * and on a machine with few cores that CPU slows the engine's export that the scan waits on.
 *
 * An index is stored under a key made of the archive's central directory (every entry's name, sizes and CRC-32,
 * see `ZipDirectory.directoryDigest`), the tool's version and the index format: a database that changes in any
 * record, or a new release of the tool, gets a new index. An index that cannot be read whole, or does not fit
 * the archive it is for (another entry count, an entry number out of range), is not used. The cache only ever
 * saves time: a missing, unreadable or unwritable cache means the archive is indexed as before.
 *
 * Where: `SECURE_IMAGE_CACHE_DIR`, else `$XDG_CACHE_HOME/secure-image`, else `~/.cache/secure-image`, under
 * `osv-index/`. `SECURE_IMAGE_CACHE_DIR=off` turns the cache off. The 16 indexes used last are kept.
 */
import { createHash } from 'node:crypto'
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { VERSION } from '../../version.js'

/** Bumped whenever what an index holds, or how names are read into it, changes. */
const FORMAT = 1
const KEEP = 16

/** The name index of one archive: entry numbers (of its JSON entries) by loose name and by ecosystem. */
export interface NameIndex {
  count: number
  byName: Map<string, number[]>
  byEcosystem: Map<string, number[]>
  always: number[]
}

/** The cache's folder; undefined when the cache is off. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env.SECURE_IMAGE_CACHE_DIR
  if (own === 'off') return undefined
  const base = own || (env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'secure-image') : undefined)
  return path.join(base ?? path.join(homedir(), '.cache', 'secure-image'), 'osv-index')
}

/** The file an archive's index is kept in, from its directory digest. */
export function indexFile(dir: string, directoryDigest: string): string {
  const key = createHash('sha256').update(`${FORMAT}\n${VERSION}\n${directoryDigest}`).digest('hex')
  return path.join(dir, `${key}.json`)
}

const isEntryList = (v: unknown, count: number): v is number[] =>
  Array.isArray(v) && v.every((i) => Number.isInteger(i) && i >= 0 && i < count)

function entryMap(v: unknown, count: number): Map<string, number[]> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined
  const m = new Map<string, number[]>()
  for (const [k, list] of Object.entries(v)) {
    if (!isEntryList(list, count)) return undefined
    m.set(k, list)
  }
  return m
}

/** The index kept for an archive of `count` JSON entries; undefined when there is none that fits. */
export function loadIndex(file: string, count: number): NameIndex | undefined {
  let v: unknown
  try {
    v = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
  if (typeof v !== 'object' || v === null) return undefined
  const o = v as Record<string, unknown>
  if (o.format !== FORMAT || o.count !== count || !isEntryList(o.always, count)) return undefined
  const byName = entryMap(o.byName, count)
  const byEcosystem = entryMap(o.byEcosystem, count)
  if (!byName || !byEcosystem) return undefined
  try {
    // Marked as used, so that pruning removes the indexes used least recently.
    const now = new Date()
    utimesSync(file, now, now)
  } catch {
    // Read-only: it is still used.
  }
  return { count, byName, byEcosystem, always: o.always }
}

/** Keeps an index (written whole, then renamed into place); beyond 16, those used least recently are removed. */
export function saveIndex(file: string, index: NameIndex): void {
  try {
    const dir = path.dirname(file)
    mkdirSync(dir, { recursive: true })
    const text = JSON.stringify({
      format: FORMAT,
      count: index.count,
      byName: Object.fromEntries(index.byName),
      byEcosystem: Object.fromEntries(index.byEcosystem),
      always: index.always
    })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, text)
    renameSync(tmp, file)
    prune(dir)
  } catch {
    // Not kept: the next scan indexes the archive again.
  }
}

function prune(dir: string): void {
  const kept = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => ({ file: path.join(dir, n), at: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
  for (const old of kept.slice(KEEP)) unlinkSync(old.file)
}
