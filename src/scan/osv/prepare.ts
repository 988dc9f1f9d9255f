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
import { readFileSync } from 'node:fs'
import { ZipDirectory } from './zip.js'

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
 * The string values of `key` in a JSON text (`"key": "value"`, unescaped), found byte by byte without
 * decoding the text; undefined when a value's escapes are broken.
 */
function valuesOf(buf: Buffer, key: Buffer, end: number): string[] | undefined {
  const out: string[] = []
  for (let at = buf.indexOf(key); at >= 0 && at < end;) {
    let q = at + key.length
    while (q < end && isSpace(buf[q])) q++
    if (buf[q] !== 0x3a) {
      at = buf.indexOf(key, at + 1)
      continue
    }
    q++
    while (q < end && isSpace(buf[q])) q++
    if (buf[q] !== 0x22) {
      at = buf.indexOf(key, at + 1)
      continue
    }
    const start = ++q
    let escaped = false
    while (q < end && buf[q] !== 0x22) {
      if (buf[q] === 0x5c) {
        escaped = true
        q++
      }
      q++
    }
    if (q >= end) break
    let value = buf.toString('utf8', start, q)
    if (escaped) {
      try {
        value = JSON.parse(`"${value}"`) as string
      } catch {
        return undefined
      }
    }
    out.push(value)
    at = buf.indexOf(key, q + 1)
  }
  return out
}

/** What a record's JSON text mentions; undefined when the text does not look whole. */
export function mentions(text: string | Buffer): Mentions | undefined {
  const buf = typeof text === 'string' ? Buffer.from(text) : text
  let from = 0
  let end = buf.length
  while (from < end && isSpace(buf[from])) from++
  while (end > from && isSpace(buf[end - 1])) end--
  const first = buf[from]
  const last = buf[end - 1]
  if (!((first === 0x7b && last === 0x7d) || (first === 0x5b && last === 0x5d))) return undefined
  const names = valuesOf(buf, NAME, end)
  const ecosystems = names && valuesOf(buf, ECOSYSTEM, end)
  if (!names || !ecosystems) return undefined
  return { names: names.map(looseKey), ecosystems }
}

/** The loose keys of the names a record's JSON text mentions; undefined when the text does not look whole. */
export function mentionedNames(text: string): string[] | undefined {
  return mentions(text)?.names
}

/** Entries inflated together (one zlib pass) and indexed between two looks at the deadline. */
const BATCH = 32

/** The records of one file: the JSON entries of a zip, or a JSON file as one entry. */
interface Entries {
  count: number
  origin(i: number): string
  read(i: number): Buffer
  /** The bytes of entries [from, to). */
  readRange(from: number, to: number): Buffer[]
}

function zipEntries(file: string): Entries {
  const dir = new ZipDirectory(readFileSync(file), file)
  const json: number[] = []
  for (let i = 0; i < dir.count; i++) if (dir.nameEndsWith(i, '.json')) json.push(i)
  return {
    count: json.length,
    origin: (i) => `${file}:${dir.name(json[i])}`,
    read: (i) => dir.read(json[i]),
    readRange(from, to) {
      const batch = json.slice(from, to)
      return dir.readMany(batch) ?? batch.map((i) => dir.read(i))
    }
  }
}

function jsonFile(file: string): Entries {
  return {
    count: 1,
    origin: () => file,
    read: () => readFileSync(file),
    readRange: () => [readFileSync(file)]
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

  constructor(readonly db: DbFile) {}

  private list(): Entries {
    if (this.entries) return this.entries
    const file = this.db.file
    this.entries = file.endsWith('.zip') ? zipEntries(file) : jsonFile(file)
    return this.entries
  }

  /** The text of entry `i`, and where it comes from for error messages. */
  text(i: number): { text: string; origin: string } {
    const e = this.list()
    return { text: e.read(i).toString('utf8'), origin: e.origin(i) }
  }

  /** Indexes entries until `deadline` (a `performance.now()` time; Infinity for all); true when done. */
  step(deadline: number): boolean {
    if (this.total >= 0) return true
    const entries = this.list()
    while (this.next < entries.count) {
      const from = this.next
      const data = entries.readRange(from, Math.min(from + BATCH, entries.count))
      this.next += data.length
      data.forEach((d, k) => this.index(from + k, d))
      if (performance.now() >= deadline) break
    }
    if (this.next < entries.count) return false
    // The file's bytes are not kept between indexing and the query: a query reads it again for its records.
    this.entries = undefined
    this.total = entries.count
    return true
  }

  private index(i: number, text: Buffer): void {
    const m = mentions(text)
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
