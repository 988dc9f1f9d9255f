/**
 * A small reader for zip archives such as osv.dev's per-ecosystem `all.zip`: it reads the central directory
 * (with ZIP64 when the entry count or offsets need it) and inflates stored or deflated entries, one by one or
 * many at once. The directory is kept in typed arrays (an `all.zip` has tens of thousands of entries; objects
 * for each would be garbage-collector work before the first one is read).
 */
import { createHash } from 'node:crypto'
import { gunzipSync, inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  /** The entry's uncompressed bytes. */
  read(): Buffer
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])

/** Where a zip's bytes come from: the whole archive in memory, or an open file read at offsets. */
export interface ZipBytes {
  readonly length: number
  /** The bytes from `start` to `end` (fewer at the end of the archive). */
  slice(start: number, end: number): Buffer
}

const inMemory = (buf: Buffer): ZipBytes => ({
  length: buf.length,
  slice: (start, end) => buf.subarray(start, end)
})

/** An archive of `length` bytes read only where asked (its directory, the entries read) by `file.read`. */
export function zipFile(file: { read(buf: Buffer, position: number): number }, length: number): ZipBytes {
  return {
    length,
    slice(start, end) {
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(end, length) - start))
      let o = 0
      while (o < out.length) {
        const n = file.read(out.subarray(o), start + o)
        if (n === 0) break
        o += n
      }
      return out.subarray(0, o)
    }
  }
}

/** The file entries of a zip archive (directories left out), read from its central directory. */
export class ZipDirectory {
  /** Per entry: where its central directory record starts, its local header, sizes, method and CRC-32. */
  private readonly central: Float64Array
  private readonly local: Float64Array
  private readonly compressed: Float64Array
  private readonly size: Float64Array
  private readonly method: Uint16Array
  private readonly crc: Uint32Array
  readonly count: number
  private readonly src: ZipBytes
  /** The archive from its central directory to its end (central records are read from here). */
  private readonly buf: Buffer

  /**
   * Reads the central directory of `archive` (its bytes, or an open file's `zipFile`). Throws an Error naming
   * `label` when it is not a valid zip archive.
   */
  constructor(
    archive: Buffer | ZipBytes,
    private readonly label = 'zip archive'
  ) {
    const src = Buffer.isBuffer(archive) ? inMemory(archive) : archive
    this.src = src
    // The end record, within its largest comment from the end, and the ZIP64 locator before it.
    const tailStart = Math.max(0, src.length - 22 - 0xffff - 20)
    const tail = src.slice(tailStart, src.length)
    const min = Math.max(0, src.length - 22 - 0xffff) - tailStart
    let eocd = -1
    for (let i = tail.length - 22; i >= min && eocd < 0; i--) if (tail.readUInt32LE(i) === EOCD) eocd = i
    if (eocd < 0) throw new Error(`${label} is not a zip archive (no end of central directory record)`)
    let count = tail.readUInt16LE(eocd + 10)
    let cdOffset = tail.readUInt32LE(eocd + 16)
    if (count === 0xffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20
      if (loc >= 0 && tail.readUInt32LE(loc) === ZIP64_LOCATOR) {
        const z = Number(tail.readBigUInt64LE(loc + 8))
        const rec = src.slice(z, z + 56)
        if (rec.length < 56 || rec.readUInt32LE(0) !== ZIP64_EOCD)
          throw new Error(`${label} has a broken ZIP64 end record`)
        count = Number(rec.readBigUInt64LE(32))
        cdOffset = Number(rec.readBigUInt64LE(48))
      }
    }
    const buf = cdOffset <= src.length ? src.slice(cdOffset, src.length) : Buffer.alloc(0)
    this.buf = buf
    // At most one entry per 46 bytes of the buffer, whatever the count claims.
    const room = Math.min(count, Math.floor(buf.length / 46))
    this.central = new Float64Array(room)
    this.local = new Float64Array(room)
    this.compressed = new Float64Array(room)
    this.size = new Float64Array(room)
    this.method = new Uint16Array(room)
    this.crc = new Uint32Array(room)
    let kept = 0
    let p = 0
    for (let n = 0; n < count; n++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
        throw new Error(`${label} has a broken central directory (entry ${n + 1} of ${count})`)
      const method = buf.readUInt16LE(p + 10)
      const crc = buf.readUInt32LE(p + 16)
      let compressed = buf.readUInt32LE(p + 20)
      let size = buf.readUInt32LE(p + 24)
      const nameLen = buf.readUInt16LE(p + 28)
      const extraLen = buf.readUInt16LE(p + 30)
      const commentLen = buf.readUInt16LE(p + 32)
      let local = buf.readUInt32LE(p + 42)
      // ZIP64 extended information: the fields that overflowed, in this order.
      let x = p + 46 + nameLen
      const xEnd = x + extraLen
      while (x + 4 <= xEnd) {
        const id = buf.readUInt16LE(x)
        const len = buf.readUInt16LE(x + 2)
        if (id === 0x0001) {
          let q = x + 4
          if (size === 0xffffffff) {
            size = Number(buf.readBigUInt64LE(q))
            q += 8
          }
          if (compressed === 0xffffffff) {
            compressed = Number(buf.readBigUInt64LE(q))
            q += 8
          }
          if (local === 0xffffffff) local = Number(buf.readBigUInt64LE(q))
        }
        x += 4 + len
      }
      const start = p
      p = xEnd + commentLen
      // A directory (its name ends with `/`).
      if (nameLen > 0 && buf[start + 46 + nameLen - 1] === 0x2f) continue
      this.central[kept] = start
      this.local[kept] = local
      this.compressed[kept] = compressed
      this.size[kept] = size
      this.method[kept] = method
      this.crc[kept] = crc
      kept++
    }
    this.count = kept
  }

  /**
   * A digest of the archive's central directory and end records (every entry's name, sizes, offset and CRC-32)
   * and of its length: it changes whenever an entry is added, removed or changes its content.
   */
  directoryDigest(): string {
    return createHash('sha256').update(`${this.src.length}\n`).update(this.buf).digest('hex')
  }

  name(i: number): string {
    const p = this.central[i]
    return this.buf.toString('utf8', p + 46, p + 46 + this.buf.readUInt16LE(p + 28))
  }

  /** Whether the entry's name ends with `suffix` (ASCII), without decoding the name. */
  nameEndsWith(i: number, suffix: string): boolean {
    const p = this.central[i]
    const end = p + 46 + this.buf.readUInt16LE(p + 28)
    if (end - suffix.length < p + 46) return false
    for (let k = 0; k < suffix.length; k++)
      if (this.buf[end - suffix.length + k] !== suffix.charCodeAt(k)) return false
    return true
  }

  /** Where the entry's data starts in the archive; -1 without a local header. */
  private dataStart(i: number): number {
    const at = this.local[i]
    const head = this.src.slice(at, at + 30)
    if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) return -1
    return at + 30 + head.readUInt16LE(26) + head.readUInt16LE(28)
  }

  /** The entry's uncompressed size, as the central directory says. */
  sizeOf(i: number): number {
    return this.size[i]
  }

  /** The entry's uncompressed bytes. */
  read(i: number): Buffer {
    const start = this.dataStart(i)
    if (start < 0) throw new Error(`${this.label}: entry ${this.name(i)} has no local header`)
    const data = this.src.slice(start, start + this.compressed[i])
    const method = this.method[i]
    const expected = this.size[i]
    if (method === 0) return data
    if (method === 8) {
      const out = inflateRawSync(data, { chunkSize: Math.max(64, expected + 64) })
      if (out.length !== expected)
        throw new Error(`${this.label}: entry ${this.name(i)} inflated to the wrong size`)
      return out
    }
    throw new Error(
      `${this.label}: entry ${this.name(i)} uses compression method ${method}, which is not supported`
    )
  }

  /**
   * The uncompressed bytes of these entries one after the other in one buffer, and where each starts (with
   * the end last). Deflated entries are inflated in a single pass: each becomes a member of one gzip stream
   * (the zip's CRC-32 and size are a gzip member's trailer), and zlib reads the members one after the other
   * with one inflater, where inflating entry by entry costs an inflater each (most of the time for small
   * entries such as OSV records). Undefined when that pass cannot vouch for every entry (a bad CRC, a size
   * that does not match, a method it does not know): `read` each entry then, to get its data or its error.
   */
  readMany(indexes: ArrayLike<number>): { data: Buffer; starts: number[] } | undefined {
    const starts: number[] = []
    const at: number[] = []
    let inLen = 0
    let outLen = 0
    let stored = false
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]
      const start = this.dataStart(i)
      at.push(start)
      const method = this.method[i]
      if (start < 0 || (method !== 0 && method !== 8)) return undefined
      if (start + this.compressed[i] > this.src.length) return undefined
      if (method === 0) {
        if (this.compressed[i] !== this.size[i]) return undefined
        stored = true
      } else inLen += GZIP_HEADER.length + this.compressed[i] + 8
      starts.push(outLen)
      outLen += this.size[i]
    }
    starts.push(outLen)
    let inflated = Buffer.alloc(0)
    if (inLen > 0) {
      const input = Buffer.allocUnsafe(inLen)
      let o = 0
      for (let k = 0; k < indexes.length; k++) {
        const i = indexes[k]
        if (this.method[i] !== 8) continue
        o += GZIP_HEADER.copy(input, o)
        o += this.src.slice(at[k], at[k] + this.compressed[i]).copy(input, o)
        o = input.writeUInt32LE(this.crc[i], o)
        o = input.writeUInt32LE(this.size[i] % 2 ** 32, o)
      }
      try {
        inflated = gunzipSync(input, { chunkSize: Math.max(64 * 1024, outLen) })
      } catch {
        return undefined
      }
    }
    if (!stored) return inflated.length === outLen ? { data: inflated, starts } : undefined
    // Stored entries between deflated ones: laid out in order.
    const data = Buffer.allocUnsafe(outLen)
    let from = 0
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]
      const size = this.size[i]
      if (this.method[i] === 0) {
        this.src.slice(at[k], at[k] + size).copy(data, starts[k])
      } else {
        if (from + size > inflated.length) return undefined
        inflated.copy(data, starts[k], from, from + size)
        from += size
      }
    }
    return from === inflated.length ? { data, starts } : undefined
  }
}

/** Lists the file entries of a zip archive. Throws an Error naming `label` when the archive is not a valid zip. */
export function readZip(buf: Buffer, label = 'zip archive'): ZipEntry[] {
  const dir = new ZipDirectory(buf, label)
  const entries: ZipEntry[] = []
  for (let i = 0; i < dir.count; i++) entries.push({ name: dir.name(i), read: () => dir.read(i) })
  return entries
}
