/** Layer decompression, chosen by the content's magic bytes: uncompressed tar, gzip or zstd. Everything streams. */
import { Transform, type TransformCallback } from 'node:stream'
import { createGunzip } from 'node:zlib'
import * as zlib from 'node:zlib'
import { Decompress } from 'fzstd'

export type Compression = 'none' | 'gzip' | 'zstd'

/** The largest zstd window accepted, as the zstd CLI's default decompression memory limit (128 MiB). */
export const MAX_ZSTD_WINDOW = 128 * 1024 * 1024

export function detectCompression(head: Buffer): Compression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd'
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'none'
  // An old (v7) tar has no magic: accept a header whose checksum is right.
  if (head.length >= 512 && tarChecksumOk(head)) return 'none'
  return undefined
}

function tarChecksumOk(h: Buffer): boolean {
  const stored = parseInt(h.toString('latin1', 148, 156).replace(/\0.*$/, '').trim(), 8)
  if (!Number.isFinite(stored)) return false
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]
  return sum === stored && h[0] !== 0
}

/** The window size a zstd frame header asks for, to refuse frames that would need too much memory. */
export function zstdWindowSize(head: Buffer): number | undefined {
  if (head.length < 6 || head.readUInt32LE(0) !== 0xfd2fb528) return undefined
  const flg = head[4]
  const singleSegment = (flg >> 5) & 1
  if (!singleSegment) {
    const wd = head[5]
    const wb = 2 ** (10 + (wd >> 3))
    return wb + (wb / 8) * (wd & 7)
  }
  const fcf = flg >> 6
  const dictBytes = [0, 1, 2, 4][flg & 3]
  const at = 5 + dictBytes
  const size = [1, 2, 4, 8][fcf]
  if (head.length < at + size) return undefined
  if (size === 1) return head[at]
  if (size === 2) return head.readUInt16LE(at) + 256
  if (size === 4) return head.readUInt32LE(at)
  return Number(head.readBigUInt64LE(at))
}

class ZstdStream extends Transform {
  private readonly d: Decompress
  constructor() {
    super()
    this.d = new Decompress((data) => {
      if (data.length > 0) this.push(Buffer.from(data.buffer, data.byteOffset, data.length))
    })
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.d.push(chunk)
      cb()
    } catch (err) {
      cb(new Error(`the zstd layer is corrupt: ${(err as Error).message}`))
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      this.d.push(new Uint8Array(0), true)
      cb()
    } catch (err) {
      cb(new Error(`the zstd layer is corrupt or truncated: ${(err as Error).message}`))
    }
  }
}

/** A decompressing stream for the given compression (node's own zstd when it has one, else fzstd). */
export function decompressor(kind: Compression, head: Buffer): Transform | undefined {
  if (kind === 'gzip') return createGunzip({ chunkSize: 256 * 1024 })
  if (kind === 'zstd') {
    const w = zstdWindowSize(head)
    if (w !== undefined && w > MAX_ZSTD_WINDOW) {
      throw new Error(
        `a zstd layer asks for a ${w}-byte window, more than the ${MAX_ZSTD_WINDOW} bytes allowed`
      )
    }
    const native = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress
    return typeof native === 'function' ? native() : new ZstdStream()
  }
  return undefined
}
