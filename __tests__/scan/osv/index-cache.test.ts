import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it, expect } from '@jest/globals'
import { writeZip } from '../../helpers/zip.js'
import { createOfflineSource } from '../../../src/scan/osv/index.js'
import { cacheDir } from '../../../src/scan/osv/index-cache.js'
import { PreparedFile } from '../../../src/scan/osv/prepare.js'
import { ZipDirectory, zipFile } from '../../../src/scan/osv/zip.js'
import type { OsvRecord } from '../../../src/scan/osv/types.js'

const rec = (id: string, ecosystem: string, name: string): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }]
})
const zipOf = (records: OsvRecord[]): Buffer =>
  writeZip(records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })))

let dir: string
let cache: string
const saved = process.env.SECURE_IMAGE_CACHE_DIR
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'osv-index-cache-'))
  cache = path.join(dir, 'cache')
  process.env.SECURE_IMAGE_CACHE_DIR = cache
})
afterEach(() => {
  if (saved === undefined) delete process.env.SECURE_IMAGE_CACHE_DIR
  else process.env.SECURE_IMAGE_CACHE_DIR = saved
  rmSync(dir, { recursive: true, force: true })
})

const indexes = (): string[] =>
  existsSync(path.join(cache, 'osv-index')) ? readdirSync(path.join(cache, 'osv-index')) : []

describe('the cache of offline OSV name indexes', () => {
  it('is found where the user cache is, and can be turned off', () => {
    expect(cacheDir({ SECURE_IMAGE_CACHE_DIR: '/c' })).toBe('/c/osv-index')
    expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/secure-image/osv-index')
    expect(cacheDir({})).toBe(path.join(os.homedir(), '.cache/secure-image/osv-index'))
    expect(cacheDir({ SECURE_IMAGE_CACHE_DIR: 'off', XDG_CACHE_HOME: '/x' })).toBeUndefined()
  })

  it('keeps an index once built, and a second reader takes it from the cache without indexing', () => {
    const file = path.join(dir, 'all.zip')
    writeFileSync(file, zipOf([rec('A', 'npm', 'left-pad'), rec('B', 'npm', 'lodash')]))
    const first = new PreparedFile({ file })
    expect(first.step(Infinity)).toBe(true)
    expect(indexes()).toHaveLength(1)
    const kept = path.join(cache, 'osv-index', indexes()[0])
    const stored = JSON.parse(readFileSync(kept, 'utf8')) as { byName: Record<string, number[]> }
    expect(stored.byName).toEqual({ 'left-pad': [0], lodash: [1] })

    // Proof that the second reader reads the cache: a name that only the cache knows.
    stored.byName.ghost = [1]
    writeFileSync(kept, JSON.stringify(stored))
    const second = new PreparedFile({ file })
    expect(second.step(0)).toBe(true) // no slice needed, even with a deadline already past
    expect(second.candidates(new Set(['ghost']))).toEqual([1])
    expect(second.candidates(new Set(['lodash']))).toEqual([1])
    // The record itself is read from the archive at its offset.
    expect(second.text(1)).toEqual({
      text: JSON.stringify(rec('B', 'npm', 'lodash')),
      origin: `${file}:B.json`
    })
  })

  it('reads an archive at offsets as it reads it whole', () => {
    for (const opts of [{}, { zip64: true }, { storeFirst: true }]) {
      const buf = writeZip(
        [rec('A', 'npm', 'a'), rec('B', 'PyPI', 'b'), rec('C', 'Go', 'c')].map((r) => ({
          name: `${r.id}.json`,
          data: JSON.stringify(r)
        })),
        opts
      )
      const whole = new ZipDirectory(buf, 'x.zip')
      let reads = 0
      const atOffsets = new ZipDirectory(
        zipFile({ read: (b, at) => (reads++, buf.copy(b, 0, at, at + b.length)) }, buf.length),
        'x.zip'
      )
      expect(atOffsets.count).toBe(3)
      expect(atOffsets.directoryDigest()).toBe(whole.directoryDigest())
      for (let i = 0; i < 3; i++) {
        expect(atOffsets.name(i)).toBe(whole.name(i))
        expect(atOffsets.read(i)).toEqual(whole.read(i))
      }
      expect(atOffsets.readMany([0, 1, 2])).toEqual(whole.readMany([0, 1, 2]))
      expect(reads).toBeGreaterThan(0)
    }
    expect(() => new ZipDirectory(zipFile({ read: () => 0 }, 100), 'y.zip')).toThrow(
      /y\.zip is not a zip archive/
    )
  })

  it('builds a new index for a database whose records changed, and never uses the old one', async () => {
    const npm = path.join(dir, 'db/npm')
    mkdirSync(npm, { recursive: true })
    writeFileSync(path.join(npm, 'all.zip'), zipOf([rec('A', 'npm', 'left-pad')]))
    const q = [{ ecosystem: 'npm', name: 'lodash', version: '1.0.0' }]
    expect(await createOfflineSource(path.join(dir, 'db')).query(q)).toEqual([[]])
    // The same entry names and count, one record now about lodash.
    writeFileSync(path.join(npm, 'all.zip'), zipOf([rec('A', 'npm', 'lodash')]))
    const res = await createOfflineSource(path.join(dir, 'db')).query(q)
    expect(res.map((r) => r.map((x) => x.id))).toEqual([['A']])
    expect(indexes()).toHaveLength(2)
  })

  it('gives the same answers from a cached index as from a fresh one', async () => {
    mkdirSync(path.join(dir, 'db/Debian'), { recursive: true })
    const records = Array.from({ length: 500 }, (_, i) => rec(`D-${i}`, 'Debian:12', `src${i % 40}`))
    writeFileSync(path.join(dir, 'db/Debian/all.zip'), zipOf(records))
    const queries = ['src3', 'src7', 'absent'].map((name) => ({ ecosystem: 'Debian:12', name, version: '1' }))
    const cold = createOfflineSource(path.join(dir, 'db'))
    const coldRes = await cold.query(queries)
    expect(indexes()).toHaveLength(1)
    const warm = createOfflineSource(path.join(dir, 'db'))
    warm.prepare()
    expect(await warm.query(queries)).toEqual(coldRes)
    expect(coldRes.map((r) => r.length)).toEqual([13, 13, 0])
    expect(warm.hasEcosystem?.('Debian:12')).toBe(true)
    expect(warm.hasEcosystem?.('Debian:11')).toBe(false)
  })

  it('ignores a kept index that does not fit the archive, and builds it again', () => {
    const file = path.join(dir, 'all.zip')
    writeFileSync(file, zipOf([rec('A', 'npm', 'left-pad'), rec('B', 'npm', 'lodash')]))
    new PreparedFile({ file }).step(Infinity)
    const kept = path.join(cache, 'osv-index', indexes()[0])
    for (const bad of [
      '{ cut short',
      JSON.stringify({ format: 1, count: 2, byName: { lodash: [7] }, byEcosystem: {}, always: [] }),
      JSON.stringify({ format: 1, count: 3, byName: {}, byEcosystem: {}, always: [] }),
      JSON.stringify({ format: 999, count: 2, byName: {}, byEcosystem: {}, always: [] })
    ]) {
      writeFileSync(kept, bad)
      const p = new PreparedFile({ file })
      expect(p.candidates(new Set(['lodash']))).toEqual([1])
      // Built again, and kept again whole.
      expect(JSON.parse(readFileSync(kept, 'utf8'))).toMatchObject({ count: 2, byName: { lodash: [1] } })
    }
  })

  it('indexes as before when the cache is off or cannot be written', () => {
    const file = path.join(dir, 'all.zip')
    writeFileSync(file, zipOf([rec('A', 'npm', 'lodash')]))
    process.env.SECURE_IMAGE_CACHE_DIR = 'off'
    expect(new PreparedFile({ file }).candidates(new Set(['lodash']))).toEqual([0])
    expect(existsSync(cache)).toBe(false)
    writeFileSync(cache, 'a file where the folder would be')
    process.env.SECURE_IMAGE_CACHE_DIR = cache
    expect(new PreparedFile({ file }).candidates(new Set(['lodash']))).toEqual([0])
  })

  it('keeps the newest 16 indexes', () => {
    for (let i = 0; i < 18; i++) {
      const file = path.join(dir, `v${i}.zip`)
      writeFileSync(file, zipOf([rec(`A${i}`, 'npm', `p${i}`)]))
      new PreparedFile({ file }).step(Infinity)
    }
    expect(indexes()).toHaveLength(16)
  })
})
