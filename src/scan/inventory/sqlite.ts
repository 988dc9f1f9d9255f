/**
 * A small read-only reader of SQLite database files, enough to list the rows of one table: the file header,
 * table b-trees (interior and leaf pages), overflow pages and the record format. It exists so that the rpm
 * database (`rpmdb.sqlite`) can be read from memory without a native module, which would not survive the
 * single-file bundle of the action. See https://www.sqlite.org/fileformat2.html.
 */

export type SqliteValue = null | number | bigint | string | Buffer

function varint(buf: Buffer, pos: number): [bigint, number] {
  let v = 0n
  for (let i = 0; i < 8; i++) {
    const b = buf[pos + i]
    v = (v << 7n) | BigInt(b & 0x7f)
    if (b < 0x80) return [v, pos + i + 1]
  }
  return [(v << 8n) | BigInt(buf[pos + 8]), pos + 9]
}

function smallVarint(buf: Buffer, pos: number): [number, number] {
  const [v, next] = varint(buf, pos)
  return [Number(v), next]
}

export class SqliteReader {
  readonly pageSize: number
  private readonly usable: number

  constructor(private readonly db: Buffer) {
    if (db.length < 100 || db.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
      throw new Error('not an SQLite 3 database')
    }
    const ps = db.readUInt16BE(16)
    this.pageSize = ps === 1 ? 65536 : ps
    if (this.pageSize < 512 || (this.pageSize & (this.pageSize - 1)) !== 0)
      throw new Error('bad SQLite page size')
    this.usable = this.pageSize - db[20]
    if (db.readUInt32BE(56) > 1) throw new Error('only UTF-8 SQLite databases are supported')
  }

  private page(n: number): Buffer {
    const start = (n - 1) * this.pageSize
    if (n < 1 || start + this.pageSize > this.db.length)
      throw new Error(`SQLite page ${n} is outside the file`)
    return this.db.subarray(start, start + this.pageSize)
  }

  /** Calls `onRow` with each row's rowid and record of the table b-tree rooted at `root`. */
  scanTable(root: number, onRow: (rowid: bigint, values: SqliteValue[]) => void): void {
    const stack = [root]
    const seen = new Set<number>()
    while (stack.length > 0) {
      const n = stack.pop()!
      if (seen.has(n)) throw new Error('the SQLite b-tree has a loop')
      seen.add(n)
      const page = this.page(n)
      const h = n === 1 ? 100 : 0
      const type = page[h]
      const cells = page.readUInt16BE(h + 3)
      if (type === 0x05) {
        const children: number[] = []
        for (let i = 0; i < cells; i++) children.push(page.readUInt32BE(page.readUInt16BE(h + 12 + i * 2)))
        children.push(page.readUInt32BE(h + 8))
        // Pushed in reverse so that rows come out in rowid order.
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
      } else if (type === 0x0d) {
        for (let i = 0; i < cells; i++) {
          const [size, p1] = smallVarint(page, page.readUInt16BE(h + 8 + i * 2))
          const [rowid, p2] = varint(page, p1)
          onRow(rowid, this.record(this.payload(page, p2, size)))
        }
      } else {
        throw new Error(`SQLite page ${n} is not a table b-tree page (type ${type})`)
      }
    }
  }

  private payload(page: Buffer, at: number, size: number): Buffer {
    const u = this.usable
    const x = u - 35
    if (size <= x) return page.subarray(at, at + size)
    const m = Math.floor(((u - 12) * 32) / 255) - 23
    const k = m + ((size - m) % (u - 4))
    const local = k <= x ? k : m
    const parts = [page.subarray(at, at + local)]
    let left = size - local
    let next = page.readUInt32BE(at + local)
    const seen = new Set<number>()
    while (left > 0 && next !== 0) {
      if (seen.has(next)) throw new Error('the SQLite overflow chain has a loop')
      seen.add(next)
      const ov = this.page(next)
      const take = Math.min(left, u - 4)
      parts.push(ov.subarray(4, 4 + take))
      left -= take
      next = ov.readUInt32BE(0)
    }
    if (left > 0) throw new Error('an SQLite overflow chain ends early')
    return Buffer.concat(parts, size)
  }

  private record(rec: Buffer): SqliteValue[] {
    const [headerSize, start] = smallVarint(rec, 0)
    let p = start
    const types: number[] = []
    while (p < headerSize) {
      let t: number
      ;[t, p] = smallVarint(rec, p)
      types.push(t)
    }
    const out: SqliteValue[] = []
    let d = headerSize
    for (const t of types) {
      if (t === 0) out.push(null)
      else if (t >= 1 && t <= 6) {
        const len = [0, 1, 2, 3, 4, 6, 8][t]
        if (len === 8) out.push(rec.readBigInt64BE(d))
        else out.push(rec.readIntBE(d, len))
        d += len
      } else if (t === 7) {
        out.push(rec.readDoubleBE(d))
        d += 8
      } else if (t === 8 || t === 9) out.push(t - 8)
      else if (t >= 12) {
        const len = Math.floor((t - 12) / 2)
        const bytes = rec.subarray(d, d + len)
        out.push(t % 2 === 0 ? bytes : bytes.toString('utf8'))
        d += len
      } else out.push(null)
    }
    return out
  }

  /** The rows of a table by name, from the schema table. */
  rows(table: string): SqliteValue[][] {
    let root: number | undefined
    this.scanTable(1, (_rowid, v) => {
      if (v[0] === 'table' && typeof v[1] === 'string' && v[1].toLowerCase() === table.toLowerCase()) {
        root = Number(v[3])
      }
    })
    if (root === undefined) throw new Error(`the SQLite database has no table ${table}`)
    const out: SqliteValue[][] = []
    this.scanTable(root, (rowid, v) => {
      // An INTEGER PRIMARY KEY column is stored as NULL in the record: it is the rowid.
      if (v.length > 0 && v[0] === null) v[0] = rowid
      out.push(v)
    })
    return out
  }
}
