/**
 * A read-only reader of Berkeley DB hash databases, enough to list the values of rpm's BerkeleyDB `Packages`
 * file (CentOS 7, EL8, Amazon Linux 2, openSUSE Leap): the metadata page, hash pages with their key/data
 * items, and overflow pages for values that do not fit in a page (most rpm headers). Either byte order is
 * read, from the magic number. Encrypted databases are refused. No library reads this format from memory
 * without a native module, which would not survive the single-file bundle of the action, hence this file.
 * Layout: Berkeley DB 5.3 `dbinc/db_page.h` (PAGE header 26 bytes; HKEYDATA, HOFFPAGE items).
 */

const HASH_MAGIC = 0x061561
const P_OVERFLOW = 7
const P_HASH_UNSORTED = 2
const P_HASH = 13
const H_KEYDATA = 1
const H_OFFPAGE = 3
const PAGE_HEADER = 26

export interface BdbEntry {
  key: Buffer
  value: Buffer
}

export class BerkeleyHashReader {
  readonly pageSize: number
  readonly lastPage: number
  private readonly le: boolean

  constructor(private readonly db: Buffer) {
    if (db.length < 512) throw new Error('not a Berkeley DB file: too short')
    const magicLE = db.readUInt32LE(12)
    const magicBE = db.readUInt32BE(12)
    if (magicLE === HASH_MAGIC) this.le = true
    else if (magicBE === HASH_MAGIC) this.le = false
    else throw new Error('not a Berkeley DB hash database (bad magic number)')
    this.pageSize = this.u32(db, 20)
    if (this.pageSize < 512 || this.pageSize > 65536 || (this.pageSize & (this.pageSize - 1)) !== 0) {
      throw new Error(`bad Berkeley DB page size ${this.pageSize}`)
    }
    if (db[24] !== 0) throw new Error('the Berkeley DB database is encrypted')
    this.lastPage = this.u32(db, 32)
    if ((this.lastPage + 1) * this.pageSize > db.length) {
      throw new Error(`the Berkeley DB file is truncated: ${this.lastPage + 1} pages expected`)
    }
  }

  private u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at)
  }

  private u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at)
  }

  private page(n: number): Buffer {
    if (n < 1 || n > this.lastPage) throw new Error(`Berkeley DB page ${n} is outside the file`)
    return this.db.subarray(n * this.pageSize, (n + 1) * this.pageSize)
  }

  /** The bytes of one item of a hash page: inline data, or the chain of overflow pages it points to. */
  private item(page: Buffer, index: number, entries: number): Buffer {
    const at = this.u16(page, PAGE_HEADER + index * 2)
    const end = index === 0 ? this.pageSize : this.u16(page, PAGE_HEADER + (index - 1) * 2)
    if (at < PAGE_HEADER + entries * 2 || at >= this.pageSize || end > this.pageSize || end <= at) {
      throw new Error('a Berkeley DB hash page has an item outside the page')
    }
    const type = page[at]
    if (type === H_KEYDATA) return page.subarray(at + 1, end)
    if (type === H_OFFPAGE) return this.overflow(this.u32(page, at + 4), this.u32(page, at + 8))
    throw new Error(`unsupported Berkeley DB item type ${type} (duplicates are not used by rpm)`)
  }

  private overflow(first: number, total: number): Buffer {
    const parts: Buffer[] = []
    let len = 0
    const seen = new Set<number>()
    for (let n = first; n !== 0 && len < total;) {
      if (seen.has(n)) throw new Error('a Berkeley DB overflow chain has a loop')
      seen.add(n)
      const p = this.page(n)
      if (p[25] !== P_OVERFLOW) throw new Error(`Berkeley DB page ${n} is not an overflow page`)
      // On overflow pages the free-area offset field holds the length of the data on the page.
      const used = this.u16(p, 22)
      if (PAGE_HEADER + used > this.pageSize) throw new Error('a Berkeley DB overflow page overflows')
      parts.push(p.subarray(PAGE_HEADER, PAGE_HEADER + used))
      len += used
      n = this.u32(p, 16)
    }
    if (len !== total) throw new Error('a Berkeley DB overflow chain ends early')
    return Buffer.concat(parts, len)
  }

  /** Every key/value pair of the hash database, page by page. */
  *entries(): Generator<BdbEntry> {
    for (let n = 1; n <= this.lastPage; n++) {
      const p = this.page(n)
      const type = p[25]
      if (type !== P_HASH && type !== P_HASH_UNSORTED) continue
      const count = this.u16(p, 20)
      for (let i = 0; i + 1 < count; i += 2) {
        yield { key: this.item(p, i, count), value: this.item(p, i + 1, count) }
      }
    }
  }

  /** The key as a number in the database's byte order (rpm's keys are 4-byte header instance numbers). */
  keyNumber(key: Buffer): number | undefined {
    return key.length === 4 ? this.u32(key, 0) : undefined
  }
}
