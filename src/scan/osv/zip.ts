/**
 * A small reader for zip archives such as osv.dev's per-ecosystem `all.zip`: it reads the central directory
 * (with ZIP64 when the entry count or offsets need it) and inflates stored or deflated entries.
 */
import { inflateRawSync } from 'node:zlib'

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

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff)
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i
  return -1
}

/** Lists the file entries of a zip archive. Throws an Error naming `label` when the archive is not a valid zip. */
export function readZip(buf: Buffer, label = 'zip archive'): ZipEntry[] {
  const eocd = findEocd(buf)
  if (eocd < 0) throw new Error(`${label} is not a zip archive (no end of central directory record)`)
  let count = buf.readUInt16LE(eocd + 10)
  let cdOffset = buf.readUInt32LE(eocd + 16)
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20
    if (loc >= 0 && buf.readUInt32LE(loc) === ZIP64_LOCATOR) {
      const z = Number(buf.readBigUInt64LE(loc + 8))
      if (buf.readUInt32LE(z) !== ZIP64_EOCD) throw new Error(`${label} has a broken ZIP64 end record`)
      count = Number(buf.readBigUInt64LE(z + 32))
      cdOffset = Number(buf.readBigUInt64LE(z + 48))
    }
  }
  const entries: ZipEntry[] = []
  let p = cdOffset
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      throw new Error(`${label} has a broken central directory (entry ${n + 1} of ${count})`)
    const method = buf.readUInt16LE(p + 10)
    let compressed = buf.readUInt32LE(p + 20)
    let size = buf.readUInt32LE(p + 24)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    let local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
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
    p = xEnd + commentLen
    if (name.endsWith('/')) continue
    const dataSize = compressed
    const expected = size
    const at = local
    entries.push({
      name,
      read(): Buffer {
        if (buf.readUInt32LE(at) !== LOCAL) throw new Error(`${label}: entry ${name} has no local header`)
        const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28)
        const data = buf.subarray(start, start + dataSize)
        if (method === 0) return data
        if (method === 8) {
          const out = inflateRawSync(data, { chunkSize: Math.max(64, expected + 64) })
          if (out.length !== expected) throw new Error(`${label}: entry ${name} inflated to the wrong size`)
          return out
        }
        throw new Error(`${label}: entry ${name} uses compression method ${method}, which is not supported`)
      }
    })
  }
  return entries
}
