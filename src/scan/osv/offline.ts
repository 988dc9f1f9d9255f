/**
 * The offline source: a directory holding OSV JSON records at any depth and/or per-ecosystem `all.zip` files as
 * osv.dev publishes them (`<dir>/Debian/all.zip`, `<dir>/PyPI/all.zip`, …). Files under a folder (or zips) named
 * for an OSV ecosystem are read only when that ecosystem is queried; others are always read. Records are indexed
 * by ecosystem and package name. A query parses only the records whose text names one of its packages (see
 * prepare.ts), and `hasEcosystem` only records whose text names the ecosystem; `prepare()` builds that index
 * in the background ahead of the query.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { baseEcosystem } from '../versions/index.js'
import { isOsvRecord, type OsvQuery, type OsvRecord, type OsvSource } from './types.js'
import { readZip } from './zip.js'
import { looseKey, PreparedFile, type DbFile } from './prepare.js'

/** The key OSV matching uses for a package name (PyPI names are normalised as PEP 503 says). */
export function packageKey(ecosystem: string, name: string): string {
  if (baseEcosystem(ecosystem) === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-')
  return name
}

/** OSV ecosystem names (without release), as osv.dev names its per-ecosystem folders. */
const OSV_ECOSYSTEMS = new Set([
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Android',
  'Azure Linux',
  'BellSoft Hardened Containers',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'CleanStart',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Echo',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
  'VSCode',
  'Wolfi'
])

/** True for an ecosystem (with or without release) that OSV has advisories under. */
export function isOsvEcosystem(ecosystem: string): boolean {
  return OSV_ECOSYSTEMS.has(baseEcosystem(ecosystem))
}

const ecosystemNamed = (name: string): string | undefined =>
  OSV_ECOSYSTEMS.has(baseEcosystem(name)) ? name : undefined

interface Files {
  json: DbFile[]
  zips: DbFile[]
}

function walk(dir: string): Files {
  const files: Files = { json: [], zips: [] }
  const visit = (d: string, eco: string | undefined): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) visit(p, ecosystemNamed(e.name) ?? eco)
      else if (e.name.endsWith('.json')) files.json.push({ file: p, ecosystem: eco })
      // osv.dev's layout: `Debian/all.zip`, `Debian:12/all.zip`; a zip may also be named `PyPI.zip`.
      else if (e.name.endsWith('.zip'))
        files.zips.push({ file: p, ecosystem: ecosystemNamed(e.name.slice(0, -4)) ?? eco })
    }
  }
  visit(dir, undefined)
  files.json.sort((a, b) => a.file.localeCompare(b.file))
  files.zips.sort((a, b) => a.file.localeCompare(b.file))
  return files
}

/** Whether a file named for `fileEcosystem` can hold records of `wanted` (e.g. `Debian` holds `Debian:12`). */
function holds(fileEcosystem: string | undefined, wanted: string): boolean {
  if (fileEcosystem === undefined) return true
  if (fileEcosystem === wanted) return true
  return !fileEcosystem.includes(':') && fileEcosystem === baseEcosystem(wanted)
}

export interface OfflineSource extends OsvSource {
  /** Loads (once) the records of these ecosystems; returns how many records are indexed in total. */
  load(ecosystems: string[]): number
  /**
   * Starts indexing the directory's files by package name in the background, in slices between other work
   * (the image export), so that the query that follows reads only its records. Files beyond 256 MiB in all
   * are left to the query, which also stops the indexing. Returns a function that stops it (for a scan that
   * fails before its query).
   */
  prepare(): () => void
}

/** The most file bytes `prepare()` indexes ahead of a query. */
const PREPARE_BYTES = 256 * 1024 * 1024
/** The most file bytes kept in memory from indexing to the query (the rest is read again by the query). */
const KEEP_BYTES = 64 * 1024 * 1024

export function createOfflineSource(dir: string): OfflineSource {
  let files: Files | undefined
  const loaded = new Set<string>()
  const prepared = new Map<string, PreparedFile>()
  /** file → entries already parsed */
  const parsed = new Map<string, Set<number>>()
  let stopPreparing = false
  const seen = new Set<string>()
  /** ecosystem → package key → records */
  const index = new Map<string, Map<string, OsvRecord[]>>()
  let total = 0

  const listFiles = (): Files => {
    if (files) return files
    let st
    try {
      st = statSync(dir)
    } catch {
      throw new Error(`the OSV database directory ${dir} does not exist (osv-db)`)
    }
    if (!st.isDirectory()) throw new Error(`the OSV database path ${dir} is not a directory (osv-db)`)
    files = walk(dir)
    return files
  }

  const add = (record: OsvRecord): void => {
    const key = `${record.id}\u0000${record.modified ?? ''}`
    if (seen.has(key)) return
    seen.add(key)
    if (!Array.isArray(record.affected)) return
    const done = new Set<string>()
    for (const a of record.affected) {
      const eco = a?.package?.ecosystem
      const name = a?.package?.name
      if (typeof eco !== 'string' || typeof name !== 'string') continue
      const k = `${eco}\u0000${packageKey(eco, name)}`
      if (done.has(k)) continue
      done.add(k)
      let byName = index.get(eco)
      if (!byName) index.set(eco, (byName = new Map()))
      const list = byName.get(packageKey(eco, name))
      if (list) list.push(record)
      else byName.set(packageKey(eco, name), [record])
    }
    total++
  }

  const parse = (text: string, origin: string): void => {
    let v: unknown
    try {
      v = JSON.parse(text)
    } catch (err) {
      throw new Error(`${origin} is not valid JSON: ${(err as Error).message}`, { cause: err })
    }
    if (Array.isArray(v)) {
      for (const r of v) if (isOsvRecord(r)) add(r)
    } else if (isOsvRecord(v)) add(v)
  }

  const load = (ecosystems: string[]): number => {
    const f = listFiles()
    const wanted = (d: DbFile): boolean =>
      !loaded.has(d.file) && ecosystems.some((e) => holds(d.ecosystem, e))
    for (const j of f.json.filter(wanted)) {
      loaded.add(j.file)
      parse(readFileSync(j.file, 'utf8'), j.file)
    }
    for (const z of f.zips.filter(wanted)) {
      loaded.add(z.file)
      for (const entry of readZip(readFileSync(z.file), z.file)) {
        if (entry.name.endsWith('.json')) parse(entry.read().toString('utf8'), `${z.file}:${entry.name}`)
      }
    }
    return total
  }

  const preparedFile = (d: DbFile, keep = false): PreparedFile => {
    let p = prepared.get(d.file)
    if (!p) prepared.set(d.file, (p = new PreparedFile(d, keep)))
    return p
  }

  /** Parses entry `i` of a prepared file unless it was parsed before. */
  const parseEntry = (p: PreparedFile, i: number): void => {
    let done = parsed.get(p.db.file)
    if (!done) parsed.set(p.db.file, (done = new Set()))
    if (done.has(i)) return
    done.add(i)
    const { text, origin } = p.text(i)
    parse(text, origin)
  }

  /** Parses the records of these ecosystems that may name one of `names` (loose keys). */
  const loadNames = (ecosystems: string[], names: Set<string>): void => {
    const f = listFiles()
    for (const d of [...f.json, ...f.zips]) {
      if (loaded.has(d.file) || !ecosystems.some((e) => holds(d.ecosystem, e))) continue
      const p = preparedFile(d)
      for (const i of p.candidates(names)) parseEntry(p, i)
    }
  }

  const known = (ecosystem: string): boolean => (index.get(ecosystem)?.size ?? 0) > 0

  /**
   * Parses the records that may concern `ecosystem` (those whose text names it) until one of them indexes a
   * package of it: the same answer as loading the ecosystem whole, without parsing its every record.
   */
  const findEcosystem = (ecosystem: string): boolean => {
    const f = listFiles()
    for (const d of [...f.json, ...f.zips]) {
      if (known(ecosystem)) return true
      if (loaded.has(d.file) || !holds(d.ecosystem, ecosystem)) continue
      const p = preparedFile(d)
      for (const i of p.ecosystemCandidates(ecosystem)) {
        parseEntry(p, i)
        if (known(ecosystem)) return true
      }
    }
    return known(ecosystem)
  }

  const prepare = (): (() => void) => {
    let queue: DbFile[]
    try {
      const f = listFiles()
      queue = [...f.json, ...f.zips]
    } catch {
      return () => undefined // the query reports it
    }
    let bytes = 0
    const keep = new Set<DbFile>()
    queue = queue.filter((d) => {
      try {
        bytes += statSync(d.file).size
      } catch {
        return false
      }
      if (bytes <= KEEP_BYTES) keep.add(d)
      return bytes <= PREPARE_BYTES
    })
    const step = (): void => {
      const deadline = performance.now() + 4
      while (!stopPreparing && queue.length > 0 && performance.now() < deadline) {
        const d = queue[0]
        try {
          if (preparedFile(d, keep.has(d)).step(deadline)) queue.shift()
        } catch {
          // A broken file: the query reads it again and reports it.
          prepared.delete(d.file)
          queue.shift()
        }
      }
      // Referenced, so that the event loop does not sleep in its poll phase between slices while the engine
      // prepares the export; the query (or the returned function) stops the chain.
      if (!stopPreparing && queue.length > 0) setImmediate(step)
    }
    setImmediate(step)
    return () => {
      stopPreparing = true
    }
  }

  return {
    load,
    prepare,
    async query(queries: OsvQuery[]): Promise<OsvRecord[][]> {
      stopPreparing = true
      loadNames([...new Set(queries.map((q) => q.ecosystem))], new Set(queries.map((q) => looseKey(q.name))))
      return queries.map((q) => index.get(q.ecosystem)?.get(packageKey(q.ecosystem, q.name)) ?? [])
    },
    hasEcosystem(ecosystem: string): boolean {
      stopPreparing = true
      return findEcosystem(ecosystem)
    }
  }
}
