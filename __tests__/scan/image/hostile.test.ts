/** Hostile archives, made in the test: the scan survives them with bounded memory and never leaves the root. */
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import * as tar from 'tar-stream'
import { scanImageStream } from '../../../src/scan/index.js'
import { makeTar, scanBuffer, type TarEntry } from '../helpers.js'

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** A one-image legacy archive around the given layer blobs (diff IDs are not checked by the reader). */
async function image(layerBlobs: Buffer[], config: object = {}): Promise<Buffer> {
  const entries: TarEntry[] = layerBlobs.map((b, i) => ({ name: `l${i}/layer.tar`, data: b }))
  const cfg = {
    config: { User: '10001', ...config },
    rootfs: { type: 'layers', diff_ids: layerBlobs.map((b) => `sha256:${sha(b)}`) }
  }
  entries.push({ name: 'config.json', data: JSON.stringify(cfg) })
  entries.push({
    name: 'manifest.json',
    data: JSON.stringify([{ Config: 'config.json', Layers: layerBlobs.map((_, i) => `l${i}/layer.tar`) }])
  })
  return makeTar(entries)
}

/** A gzip layer holding one file of `size` zero bytes (compresses about 1000:1), made without holding it. */
async function zeroFileLayer(name: string, size: number, mode = 0o755): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const gz = createGzip({ level: 9 })
  gz.on('data', (c: Buffer) => chunks.push(c))
  const ended = new Promise((r) => gz.on('end', r))
  const done = pipeline(pack as unknown as NodeJS.ReadableStream, gz)
  const entry = pack.entry({ name, size, mode })
  const block = Buffer.alloc(1024 * 1024)
  for (let left = size; left > 0; left -= block.length) {
    const piece = left >= block.length ? block : block.subarray(0, left)
    if (!entry.write(piece)) await new Promise<void>((r) => entry.once('drain', () => r()))
  }
  ;(entry as unknown as { end(): void }).end()
  pack.finalize()
  await done
  await ended
  return Buffer.concat(chunks)
}

/** Runs `fn` while sampling RSS; returns its result and the peak growth over the RSS at the start, in MiB. */
async function peakGrowth<T>(fn: () => Promise<T>): Promise<{ value: T; mib: number }> {
  global.gc?.()
  const start = process.memoryUsage().rss
  let peak = start
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  try {
    const value = await fn()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { value, mib: (peak - start) / 2 ** 20 }
  } finally {
    clearInterval(timer)
  }
}

describe('hostile archives', () => {
  it('ignores entries that climb out of the root and takes absolute names as root-relative', async () => {
    const layer = await makeTar([
      { name: '../../../etc/os-release', data: 'ID=evil\nVERSION_ID=1\n' },
      { name: 'a/../../../../lib/apk/db/installed', data: 'P:evil\nV:1\n' },
      { name: '/etc/os-release', data: 'ID=alpine\nVERSION_ID=3.20.0\n' },
      { name: '/lib/apk/db/installed', data: 'P:musl\nV:1.2.5-r0\no:musl\n' }
    ])
    const r = await scanBuffer(await image([layer]))
    expect(r.inventory.os?.ecosystem).toBe('Alpine:v3.20')
    expect(r.inventory.packages.map((p) => p.name)).toEqual(['musl'])
    expect(r.warnings?.join('\n')).toMatch(/outside the image root \(\.\.\/\.\.\/\.\.\/etc\/os-release\)/)
  })

  it('survives symlink and hardlink loops without following them', async () => {
    const layer = await makeTar([
      { name: 'etc/os-release', type: 'symlink', linkname: 'os-release' },
      { name: 'usr/lib/os-release', type: 'symlink', linkname: '../../etc/os-release' },
      { name: 'a', type: 'symlink', linkname: 'b' },
      { name: 'b', type: 'symlink', linkname: 'a' },
      { name: 'x', type: 'link', linkname: 'y' },
      { name: 'y', type: 'link', linkname: 'x' },
      { name: 'lib/apk/db/installed', type: 'link', linkname: 'lib/apk/db/installed' }
    ])
    const r = await scanBuffer(await image([layer]))
    expect(r.inventory.os).toBeUndefined()
    expect(r.inventory.packages).toEqual([])
  })

  it('skips a GNU sparse entry (type S) without reading it as a file', async () => {
    const layer = await makeTar([
      { name: 'lib/apk/db/installed', data: 'P:sparse\nV:1\n' },
      { name: 'etc/os-release', data: 'ID=alpine\nVERSION_ID=3.19.0\n' }
    ])
    // Turn the first entry into a GNU sparse file: type flag 'S', checksum recomputed.
    layer[156] = 0x53
    layer.fill(0x20, 148, 156)
    let sum = 0
    for (let i = 0; i < 512; i++) sum += layer[i]
    layer.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
    const r = await scanBuffer(await image([layer]))
    expect(r.inventory.os?.ecosystem).toBe('Alpine:v3.19')
    expect(r.inventory.packages).toEqual([])
  })

  it('keeps the last of duplicate entries, as the engine does', async () => {
    const layer = await makeTar([
      { name: 'lib/apk/db/installed', data: 'P:first\nV:1\n' },
      { name: 'lib/apk/db/installed', data: 'P:second\nV:2\n' },
      { name: 'etc/os-release', data: 'ID=wolfi\n' }
    ])
    const r = await scanBuffer(
      await image([layer, await makeTar([{ name: 'etc/os-release', data: 'ID=chainguard\n' }])])
    )
    expect(r.inventory.packages.map((p) => `${p.name}@${p.version} ${p.ecosystem}`)).toEqual([
      'second@2 Chainguard'
    ])
  })

  it('streams a 512 MiB file through with flat memory, and skips a package database over the size limit', async () => {
    const big = await zeroFileLayer('usr/bin/huge', 512 * 1024 * 1024)
    const db = await zeroFileLayer('var/lib/dpkg/status', 48 * 1024 * 1024, 0o644)
    expect(big.length).toBeLessThan(2 * 1024 * 1024)
    const archive = await image([big, db])
    const { value: r, mib } = await peakGrowth(() => scanBuffer(archive))
    expect(mib).toBeLessThan(100)
    expect(r.inventory.packages).toEqual([])
    expect(r.warnings?.join('\n')).toMatch(
      /var\/lib\/dpkg\/status \(50331648 bytes\) is larger than the 33554432-byte limit/
    )
  })

  it('refuses a decompression bomb beyond maxLayerBytes with a clear error', async () => {
    const bomb = await zeroFileLayer('bomb', 256 * 1024 * 1024)
    await expect(scanBuffer(await image([bomb]), { maxLayerBytes: 64 * 1024 * 1024 })).rejects.toThrow(
      /l0\/layer\.tar decompresses to more than 67108864 bytes; refusing it as a decompression bomb/
    )
  })

  it('refuses a zstd layer that asks for a huge window, and a truncated gzip layer', async () => {
    // Frame header: magic, descriptor without single-segment, window descriptor 0xf8 (2^41 bytes).
    const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8]), Buffer.alloc(600)])
    await expect(scanBuffer(await image([zstd]))).rejects.toThrow(/zstd layer asks for a \d+-byte window/)
    const gz = await zeroFileLayer('f', 1024 * 1024)
    await expect(scanBuffer(await image([gz.subarray(0, gz.length - 40)]))).rejects.toThrow(
      /l0\/layer\.tar could not be read/
    )
  })

  it('bounds what it records from a layer with very many entries', async () => {
    const pack = tar.pack()
    const chunks: Buffer[] = []
    const gz = createGzip({ level: 1 })
    gz.on('data', (c: Buffer) => chunks.push(c))
    const ended = new Promise((r) => gz.on('end', r))
    const done = pipeline(pack as unknown as NodeJS.ReadableStream, gz)
    for (let i = 0; i < 3000; i++) {
      pack.entry({ name: `d/${i}/`, type: 'directory', mode: 0o777 })
      if (i % 1000 === 0) await new Promise((r) => setImmediate(r))
    }
    pack.finalize()
    await done
    await ended
    const r = await scanImageStream(Readable.from([await image([Buffer.concat(chunks)])]), {
      maxRecords: 2000
    })
    expect(r.warnings?.join('\n')).toMatch(
      /more than 2000 paths to record; directories beyond that were not recorded/
    )
    // 2000 world-writable directories recorded: 50 findings and one that counts the rest.
    const ww = r.findings.filter((f) => f.ruleId === 'SI3006')
    expect(ww).toHaveLength(51)
    expect(ww[50].message).toBe('1950 more world-writable directories without the sticky bit')
  })
})
