/**
 * A read-only reader of rpm's NDB package database (`Packages.db`, SLES 15 and openSUSE), which stores one
 * header blob per package. The layout follows rpm's own `lib/backend/ndb/rpmpkg.c` (the only definition of
 * the format): a 32-byte file header (`RpmP` magic, version 0, generation, slot page count, next package
 * index), then slot pages of 4096 bytes holding 16-byte slots (`Slot` magic, package index, block offset and
 * block count, in 16-byte blocks; offset 0 is a free slot), and each blob framed by a 16-byte head (`BlbS`,
 * package index, timestamp, length) and a 12-byte tail (Adler-32, length, `BlbE`). All numbers little-endian.
 * Blobs compressed with rpm's optional LZO build option are not supported (SUSE does not enable it).
 */
import { adler32 } from './checksum.js'

const MAGIC = 0x506d7052 // 'RpmP'
const SLOT_MAGIC = 0x746f6c53 // 'Slot'
const BLOB_HEAD = 0x53626c42 // 'BlbS'
const BLOB_TAIL = 0x45626c42 // 'BlbE'
const PAGE = 4096
const SLOT = 16
const BLK = 16
const HEADER = 32

export interface NdbBlob {
  pkgidx: number
  blob: Buffer
}

/** The header blobs of an NDB `Packages.db`, in the order of their slots. */
export function readNdbBlobs(db: Buffer): NdbBlob[] {
  if (db.length < HEADER || db.readUInt32LE(0) !== MAGIC)
    throw new Error('not an rpm NDB database (bad magic)')
  const version = db.readUInt32LE(4)
  if (version !== 0) throw new Error(`unsupported rpm NDB version ${version}`)
  const slotPages = db.readUInt32LE(12)
  if (slotPages === 0 || slotPages * PAGE > db.length) throw new Error('the rpm NDB slot pages are truncated')
  const out: NdbBlob[] = []
  const minBlk = (slotPages * PAGE) / BLK
  for (let o = HEADER; o < slotPages * PAGE; o += SLOT) {
    if (db.readUInt32LE(o) !== SLOT_MAGIC) throw new Error(`the rpm NDB slot at ${o} is corrupt`)
    const pkgidx = db.readUInt32LE(o + 4)
    const blkoff = db.readUInt32LE(o + 8)
    const blkcnt = db.readUInt32LE(o + 12)
    if (blkoff === 0) continue
    if (pkgidx === 0 || blkcnt === 0 || blkoff < minBlk || (blkoff + blkcnt) * BLK > db.length) {
      throw new Error(`the rpm NDB slot of package ${pkgidx} points outside the file`)
    }
    const at = blkoff * BLK
    if (db.readUInt32LE(at) !== BLOB_HEAD || db.readUInt32LE(at + 4) !== pkgidx) {
      throw new Error(`the rpm NDB blob of package ${pkgidx} has a bad head`)
    }
    const len = db.readUInt32LE(at + 12)
    if (blkcnt !== Math.ceil((16 + len + 12) / BLK)) {
      throw new Error(`the rpm NDB blob of package ${pkgidx} does not fill its blocks`)
    }
    const tail = at + blkcnt * BLK - 12
    if (db.readUInt32LE(tail + 4) !== len || db.readUInt32LE(tail + 8) !== BLOB_TAIL) {
      throw new Error(`the rpm NDB blob of package ${pkgidx} has a bad tail`)
    }
    if (adler32(db.subarray(at, tail)) !== db.readUInt32LE(tail)) {
      throw new Error(`the rpm NDB blob of package ${pkgidx} fails its Adler-32 check`)
    }
    out.push({ pkgidx, blob: db.subarray(at + 16, at + 16 + len) })
  }
  return out
}
