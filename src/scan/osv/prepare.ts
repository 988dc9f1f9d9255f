/**
 * A name index over the files of an offline OSV directory, so that a query parses only the records that can
 * concern its packages. Reading a file means inflating every record of an `all.zip` and collecting the
 * `"name": "…"` and `"ecosystem": "…"` strings of its text (a cheap scan, no JSON parse); a query then parses
 * the records that name one of its packages, and the question whether the directory has advisories for an
 * ecosystem parses only records that name that ecosystem. The index can be built in slices (`step`), so that the CLI builds it while the engine
 * prepares the image export, and the scan does not wait for it afterwards.
 *
 * Names are compared loosely (case and runs of `-`, `_`, `.` folded, a superset of PyPI's PEP 503 key): a
 * loose match only means the record is parsed; the exact match is the source's. A record whose text does not
 * look whole (it does not start with `{` or `[` and end with `}` or `]`) is always parsed, so that a file cut
 * short is still reported as broken.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { cacheDir, indexFile, loadIndex, saveIndex } from './index-cache.js'
import { ZipDirectory, zipFile, type ZipBytes } from './zip.js'

export interface DbFile {
  file: string
  /** The ecosystem the file's name or folder says it holds; undefined when it cannot be told (always read). */
  ecosystem?: string
}

/** The loose key of a package name. */
export function looseKey(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

/** The names (loose keys) and ecosystems (as written) a record's JSON text mentions. */
export interface Mentions {
  names: string[]
  ecosystems: string[]
}

const NAME = Buffer.from('"name"')
const ECOSYSTEM = Buffer.from('"ecosystem"')
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09

/**
 * The value of `key` at `at` (`"key": "value"`, unescaped), read within `end`: `next` is where to look for the
 * key again. No value when something else follows the key; `broken` when the value's escapes are; `cut` when
 * the value does not end within `end`.
 */
function valueAt(
  buf: Buffer,
  at: number,
  keyLength: number,
  end: number
): { value?: string; next: number; broken?: boolean; cut?: boolean } {
  let q = at + keyLength
  while (q < end && isSpace(buf[q])) q++
  if (q >= end || buf[q] !== 0x3a) return { next: at + 1 }
  q++
  while (q < end && isSpace(buf[q])) q++
  if (q >= end || buf[q] !== 0x22) return { next: at + 1 }
  const start = ++q
  let escaped = false
  while (q < end && buf[q] !== 0x22) {
    if (buf[q] === 0x5c) {
      escaped = true
      q++
    }
    q++
  }
  if (q >= end) return { next: end, cut: true }
  let value = buf.toString('utf8', start, q)
  if (escaped) {
    try {
      value = JSON.parse(`"${value}"`) as string
    } catch {
      return { next: q + 1, broken: true }
    }
  }
  return { value, next: q + 1 }
}

/**
 * What each record mentions, for records laid one after the other in `buf` (record k from `starts[k]` to
 * `starts[k + 1]`); undefined for a record that does not look whole. Each key is searched for once across
 * all the records, never byte by byte.
 */
export function mentionsOf(buf: Buffer, starts: number[]): (Mentions | undefined)[] {
  const n = starts.length - 1
  const from: number[] = []
  const to: number[] = []
  const out: (Mentions | undefined)[] = []
  for (let k = 0; k < n; k++) {
    let a = starts[k]
    let b = starts[k + 1]
    while (a < b && isSpace(buf[a])) a++
    while (b > a && isSpace(buf[b - 1])) b--
    from.push(a)
    to.push(b)
    const first = buf[a]
    const last = buf[b - 1]
    const whole = b > a && ((first === 0x7b && last === 0x7d) || (first === 0x5b && last === 0x5d))
    out.push(whole ? { names: [], ecosystems: [] } : undefined)
  }
  for (const [key, field] of [
    [NAME, 'names'],
    [ECOSYSTEM, 'ecosystems']
  ] as const) {
    let k = 0
    let at = buf.indexOf(key, from[0] ?? 0)
    while (at >= 0 && k < n) {
      while (k < n && at >= to[k]) k++
      if (k >= n) break
      const m = out[k]
      if (!m || at < from[k] || at + key.length > to[k]) {
        at = buf.indexOf(key, Math.max(at + 1, from[k]))
        continue
      }
      const v = valueAt(buf, at, key.length, to[k])
      if (v.broken) out[k] = undefined
      else if (v.value !== undefined) m[field].push(v.value)
      // A value cut short ends the record's search for this key.
      at = buf.indexOf(key, v.cut ? to[k] : v.next)
    }
  }
  for (const m of out) if (m) m.names = m.names.map(looseKey)
  return out
}

/** What a record's JSON text mentions; undefined when it does not look whole. */
export function mentions(text: string | Buffer): Mentions | undefined {
  const buf = typeof text === 'string' ? Buffer.from(text) : text
  return mentionsOf(buf, [0, buf.length])[0]
}

/** The loose keys of the names a record's JSON text mentions; undefined when the text does not look whole. */
export function mentionedNames(text: string): string[] | undefined {
  return mentions(text)?.names
}

/** Entries inflated together (one zlib pass) and indexed between two looks at the deadline: this many bytes. */
const BATCH_BYTES = 256 * 1024

/** The bytes of consecutive entries, one after the other, and where each starts (with the end last). */
interface Batch {
  data: Buffer
  starts: number[]
}

/** The records of one file: the JSON entries of a zip, or a JSON file as one entry. */
interface Entries {
  count: number
  origin(i: number): string
  read(i: number): Buffer
  /** Entries from `from` on, about BATCH_BYTES of them (one at least). */
  readBatch(from: number): Batch
  /** Where the file's name index is cached (index-cache.ts); undefined when it is not. */
  cacheFile?: string
  /** Whether the whole file is in memory (else entries are read from the file as they are asked for). */
  inMemory: boolean
}

function joined(parts: Buffer[]): Batch {
  const starts = [0]
  for (const p of parts) starts.push(starts[starts.length - 1] + p.length)
  return { data: Buffer.concat(parts), starts }
}

/** The JSON entries of a zip, whose directory is `dir`; `inMemory` when the whole archive was read. */
function zipEntries(file: string, dir: ZipDirectory, inMemory: boolean, cacheFile?: string): Entries {
  const json: number[] = []
  for (let i = 0; i < dir.count; i++) if (dir.nameEndsWith(i, '.json')) json.push(i)
  return {
    count: json.length,
    inMemory,
    cacheFile,
    origin: (i) => `${file}:${dir.name(json[i])}`,
    read: (i) => dir.read(json[i]),
    readBatch(from) {
      let to = from
      for (let bytes = 0; to < json.length && (to === from || bytes < BATCH_BYTES); to++)
        bytes += dir.sizeOf(json[to])
      const batch = json.slice(from, to)
      return dir.readMany(batch) ?? joined(batch.map((i) => dir.read(i)))
    }
  }
}

/** A zip read whole, as indexing it needs. */
const wholeZip = (file: string, cacheFile?: string): Entries =>
  zipEntries(file, new ZipDirectory(readFileSync(file), file), true, cacheFile)

/**
 * A zip with a cache: the archive is first read only where it is needed (its central directory, whose digest
 * names the cached index, and later the entries a query reads), so that a scan with a cached index never reads
 * the whole of a large database.
 */
function cachedZip(file: string, cache: string): Entries {
  const dir = new ZipDirectory(zipFileAt(file), file)
  return zipEntries(file, dir, false, indexFile(cache, dir.directoryDigest()))
}

/**
 * A zip file read at offsets. The file is opened on the first read and closed once the current task is done, so
 * that the reads of one query (which come one after the other, synchronously) share one descriptor.
 */
function zipFileAt(file: string): ZipBytes {
  let fd: number | undefined
  const open = (): number => {
    if (fd !== undefined) return fd
    const opened = openSync(file, 'r')
    fd = opened
    setImmediate(() => {
      closeSync(opened)
      fd = undefined
    }).unref()
    return opened
  }
  return zipFile({ read: (buf, at) => readSync(open(), buf, 0, buf.length, at) }, statSync(file).size)
}

function jsonFile(file: string): Entries {
  return {
    count: 1,
    origin: () => file,
    inMemory: true,
    read: () => readFileSync(file),
    readBatch: () => joined([readFileSync(file)])
  }
}

/** One file of the directory, read entry by entry into its name index. */
export class PreparedFile {
  /** loose name → indexes of the entries that mention it */
  readonly byName = new Map<string, number[]>()
  /** ecosystem → indexes of the entries that mention it */
  readonly byEcosystem = new Map<string, number[]>()
  /** Entries that are parsed whatever the query (they do not look whole). */
  readonly always: number[] = []
  private entries: Entries | undefined
  private next = 0
  private total = -1

  /** `keep`: the file's bytes stay in memory for the query after indexing, instead of being read again. */
  constructor(
    readonly db: DbFile,
    private readonly keep = false
  ) {}

  private list(): Entries {
    if (this.entries) return this.entries
    const file = this.db.file
    const cache = cacheDir()
    if (!file.endsWith('.zip')) this.entries = jsonFile(file)
    else this.entries = cache === undefined ? wholeZip(file) : cachedZip(file, cache)
    return this.entries
  }

  /** The text of entry `i`, and where it comes from for error messages. */
  text(i: number): { text: string; origin: string } {
    const e = this.list()
    return { text: e.read(i).toString('utf8'), origin: e.origin(i) }
  }

  /**
   * Indexes entries until `deadline` (a `performance.now()` time; Infinity for all); true when done. A zip's
   * index is taken from the cache when it holds one for this very archive, and kept there once built.
   */
  step(deadline: number): boolean {
    if (this.total >= 0) return true
    let entries = this.list()
    if (this.next === 0 && entries.cacheFile !== undefined) {
      const cached = loadIndex(entries.cacheFile, entries.count)
      if (cached) {
        for (const [k, v] of cached.byName) this.byName.set(k, v)
        for (const [k, v] of cached.byEcosystem) this.byEcosystem.set(k, v)
        for (const i of cached.always) this.always.push(i)
        return this.done(entries, false)
      }
    }
    if (!entries.inMemory) entries = this.entries = wholeZip(this.db.file, entries.cacheFile)
    while (this.next < entries.count) {
      const from = this.next
      const { data, starts } = entries.readBatch(from)
      this.next += starts.length - 1
      mentionsOf(data, starts).forEach((m, k) => this.index(from + k, m))
      if (performance.now() >= deadline) break
    }
    if (this.next < entries.count) return false
    return this.done(entries, true)
  }

  private done(entries: Entries, built: boolean): true {
    if (built && entries.cacheFile !== undefined) {
      const { byName, byEcosystem, always } = this
      saveIndex(entries.cacheFile, { count: entries.count, byName, byEcosystem, always })
    }
    // Unless asked to keep them, the file's bytes are not kept between indexing and the query: a query reads
    // it again for its records. An archive read at offsets keeps only its directory, and stays open.
    if (!this.keep && entries.inMemory) this.entries = undefined
    this.total = entries.count
    return true
  }

  private index(i: number, m: Mentions | undefined): void {
    if (!m) this.always.push(i)
    else {
      for (const n of new Set(m.names)) push(this.byName, n, i)
      for (const e of new Set(m.ecosystems)) push(this.byEcosystem, e, i)
    }
  }

  /** The entries that may hold records of these loose names, in file order. */
  candidates(names: Set<string>): number[] {
    this.step(Infinity)
    const out = new Set<number>(this.always)
    for (const n of names) for (const i of this.byName.get(n) ?? []) out.add(i)
    return [...out].sort((a, b) => a - b)
  }

  /** The entries that may hold records of this ecosystem, in file order. */
  ecosystemCandidates(ecosystem: string): number[] {
    this.step(Infinity)
    const out = new Set<number>(this.always)
    for (const i of this.byEcosystem.get(ecosystem) ?? []) out.add(i)
    return [...out].sort((a, b) => a - b)
  }
}

function push(index: Map<string, number[]>, key: string, i: number): void {
  const l = index.get(key)
  if (l) l.push(i)
  else index.set(key, [i])
}
