/**
 * The scan's tar reader sees what tar-stream (which it replaced) sees: the same entries, types, sizes, link
 * names and bytes, for archives GNU tar writes in each of its formats, however the bytes are split into chunks,
 * and the same errors for corrupt and truncated archives.
 */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, linkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import * as tar from 'tar-stream'
import { TarReader, type TarHeader } from '../../../src/scan/image/tar.js'

interface Seen {
  name: string
  type: string | null
  size: number
  mode: number
  linkname?: string
  sha: string
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** What tar-stream's extractor reports for `archive`. */
async function withTarStream(archive: Buffer, allowUnknownFormat = false): Promise<Seen[]> {
  const out: Seen[] = []
  const ex = tar.extract({ allowUnknownFormat } as Parameters<typeof tar.extract>[0])
  ex.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = []
    stream.on('data', (c: unknown) => chunks.push(c as Buffer))
    stream.on('end', () => {
      out.push({
        name: h.name,
        type: (h.type as string | null) ?? null,
        size: h.size ?? 0,
        mode: h.mode ?? 0,
        ...(h.linkname ? { linkname: h.linkname } : {}),
        sha: sha(Buffer.concat(chunks))
      })
      next()
    })
    stream.resume()
  })
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve)
    ex.on('error', reject)
    Readable.from([archive]).pipe(ex as unknown as NodeJS.WritableStream)
  })
  return out
}

/** What the reader reports for `archive` written to it in chunks of the given sizes (cycled). */
async function withReader(archive: Buffer, sizes: number[], allowUnknownFormat = false): Promise<Seen[]> {
  const out: Seen[] = []
  const reader = new TarReader((h: TarHeader) => {
    const chunks: Buffer[] = []
    return {
      write: (c) => {
        chunks.push(Buffer.from(c))
      },
      end: () => {
        out.push({
          name: h.name,
          type: h.type,
          size: h.size,
          mode: h.mode,
          ...(h.linkname ? { linkname: h.linkname } : {}),
          sha: sha(Buffer.concat(chunks))
        })
      }
    }
  }, allowUnknownFormat)
  let k = 0
  for (let off = 0; off < archive.length; k++) {
    const n = sizes[k % sizes.length]
    // The reader gets views of a buffer that is overwritten after each write, as the engine's export lends.
    const lent = Buffer.from(archive.subarray(off, off + n))
    const held = reader.write(lent)
    if (held) await held
    lent.fill(0xee)
    off += n
  }
  reader.end()
  return out
}

let dir: string
const archives = new Map<string, Buffer>()

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'si-tar-'))
  const root = path.join(dir, 'root')
  const deep = path.join(root, 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60))
  mkdirSync(deep, { recursive: true })
  writeFileSync(path.join(deep, `${'long-name-'.repeat(12)}.txt`), 'deep and long\n')
  writeFileSync(path.join(root, 'empty'), '')
  writeFileSync(path.join(root, 'one-block'), Buffer.alloc(512, 7))
  writeFileSync(path.join(root, 'odd'), Buffer.from('x'.repeat(70001)))
  writeFileSync(path.join(root, 'ünïcødé-名前.txt'), 'utf-8 name\n')
  symlinkSync(
    path.join('a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60), 'target-'.repeat(10)),
    path.join(root, 'far-link')
  )
  symlinkSync('odd', path.join(root, 'near-link'))
  linkSync(path.join(root, 'odd'), path.join(root, 'hard'))
  execFileSync('chmod', ['4755', path.join(root, 'one-block')])
  for (const format of ['gnu', 'oldgnu', 'pax', 'ustar', 'v7']) {
    const file = path.join(dir, `${format}.tar`)
    try {
      execFileSync('tar', [`--format=${format}`, '--sort=name', '-cf', file, '-C', root, '.'], {
        stdio: 'ignore'
      })
    } catch {
      // ustar and v7 cannot hold every name: tar writes what it can and fails; the archive is still read.
    }
    archives.set(format, execFileSync('cat', [file]))
  }
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tar reader', () => {
  for (const format of ['gnu', 'oldgnu', 'pax', 'ustar', 'v7']) {
    it(`reads GNU tar's ${format} format as tar-stream does, in any chunking`, async () => {
      const archive = archives.get(format) as Buffer
      const unknown = format === 'v7'
      const expected = await withTarStream(archive, unknown)
      expect(expected.length).toBeGreaterThan(5)
      for (const sizes of [[archive.length], [1], [511, 2, 1], [4096], [100, 7000, 3]]) {
        expect(await withReader(archive, sizes, unknown)).toEqual(expected)
      }
    })
  }

  it('refuses what tar-stream refuses, with its messages', async () => {
    const archive = Buffer.from(archives.get('gnu') as Buffer)
    const bad = Buffer.from(archive)
    bad[0] ^= 1 // the first header's checksum no longer matches
    await expect(withReader(bad, [4096])).rejects.toThrow(/Invalid tar header\. Maybe the tar is corrupted/)
    await expect(withTarStream(bad)).rejects.toThrow(/Invalid tar header\. Maybe the tar is corrupted/)
    const v7 = archives.get('v7') as Buffer
    await expect(withReader(v7, [4096])).rejects.toThrow(/Invalid tar header: unknown format/)
    await expect(withTarStream(v7)).rejects.toThrow(/Invalid tar header: unknown format/)
    // Cut inside an entry's data.
    const cut = archive.subarray(0, 512 * 3 + 100)
    await expect(withReader(cut, [4096])).rejects.toThrow(/Unexpected end of data/)
    await expect(withTarStream(cut)).rejects.toThrow(/Unexpected end of data/)
  })

  it('holds the stream while a sink waits, and goes on in order after', async () => {
    const archive = archives.get('pax') as Buffer
    const expected = await withTarStream(archive)
    const seen: string[] = []
    const reader = new TarReader((h) => ({
      write: () => new Promise<void>((r) => setImmediate(r)),
      end: () => {
        seen.push(h.name)
        return new Promise<void>((r) => setImmediate(r))
      }
    }))
    for (let off = 0; off < archive.length; off += 1000) {
      const held = reader.write(archive.subarray(off, off + 1000))
      if (held) await held
    }
    reader.end()
    expect(seen).toEqual(expected.map((e) => e.name))
  })
})
