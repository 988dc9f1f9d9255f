/**
 * A name index over the files of an offline OSV directory, so that a query parses only the records that can
 * concern its packages. Reading a file means inflating every record of an `all.zip` and collecting the
 * `"name": "…"` strings of its text (a cheap scan, no JSON parse); a query then parses the records that name
 * one of its packages. The index can be built in slices (`step`), so that the CLI builds it while the engine
 * prepares the image export, and the scan does not wait for it afterwards.
 *
 * Names are compared loosely (case and runs of `-`, `_`, `.` folded, a superset of PyPI's PEP 503 key): a
 * loose match only means the record is parsed; the exact match is the source's. A record whose text does not
 * look whole (it does not start with `{` or `[` and end with `}` or `]`) is always parsed, so that a file cut
 * short is still reported as broken.
 */
import { readFileSync } from 'node:fs'
import { readZip, type ZipEntry } from './zip.js'

export interface DbFile {
  file: string
  /** The ecosystem the file's name or folder says it holds; undefined when it cannot be told (always read). */
  ecosystem?: string
}

/** The loose key of a package name. */
export function looseKey(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

const NAME = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"/g

/** The loose keys of the names a record's JSON text mentions; undefined when the text does not look whole. */
export function mentionedNames(text: string): string[] | undefined {
  const t = text.trim()
  const first = t[0]
  const last = t[t.length - 1]
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return undefined
  const out: string[] = []
  NAME.lastIndex = 0
  for (let m = NAME.exec(t); m; m = NAME.exec(t)) {
    let raw = m[1]
    if (raw.includes('\\')) {
      try {
        raw = JSON.parse(`"${raw}"`) as string
      } catch {
        return undefined
      }
    }
    out.push(looseKey(raw))
  }
  return out
}

/** One file of the directory, read entry by entry into its name index. */
export class PreparedFile {
  /** loose name → indexes of the entries that mention it */
  readonly byName = new Map<string, number[]>()
  /** Entries that are parsed whatever the query (they do not look whole). */
  readonly always: number[] = []
  private entries: ZipEntry[] | undefined
  private next = 0
  private total = -1

  constructor(readonly db: DbFile) {}

  private list(): ZipEntry[] {
    if (this.entries) return this.entries
    const file = this.db.file
    if (file.endsWith('.zip')) {
      this.entries = readZip(readFileSync(file), file).filter((e) => e.name.endsWith('.json'))
    } else {
      this.entries = [{ name: '', read: () => readFileSync(file) }]
    }
    return this.entries
  }

  /** The text of entry `i`, and where it comes from for error messages. */
  text(i: number): { text: string; origin: string } {
    const e = this.list()[i]
    return { text: e.read().toString('utf8'), origin: e.name ? `${this.db.file}:${e.name}` : this.db.file }
  }

  /** Indexes entries until `deadline` (a `performance.now()` time; Infinity for all); true when done. */
  step(deadline: number): boolean {
    if (this.total >= 0) return true
    const entries = this.list()
    while (this.next < entries.length) {
      const i = this.next++
      const names = mentionedNames(this.text(i).text)
      if (!names) this.always.push(i)
      else
        for (const n of new Set(names)) {
          const l = this.byName.get(n)
          if (l) l.push(i)
          else this.byName.set(n, [i])
        }
      if ((i & 15) === 15 && performance.now() >= deadline) break
    }
    if (this.next < entries.length) return false
    // The file's bytes are not kept between indexing and the query: a query reads it again for its records.
    this.entries = undefined
    this.total = entries.length
    return true
  }

  /** The entries that may hold records of these loose names, in file order. */
  candidates(names: Set<string>): number[] {
    this.step(Infinity)
    const out = new Set<number>(this.always)
    for (const n of names) for (const i of this.byName.get(n) ?? []) out.add(i)
    return [...out].sort((a, b) => a - b)
  }
}
