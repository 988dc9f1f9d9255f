import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it, expect } from '@jest/globals'
import { writeZip } from '../../helpers/osv-server.js'
import { createOfflineSource } from '../../../src/scan/osv/index.js'
import { readZip, ZipDirectory } from '../../../src/scan/osv/zip.js'
import type { OsvRecord } from '../../../src/scan/osv/types.js'

const rec = (id: string, ecosystem: string, name: string, extra: Partial<OsvRecord> = {}): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  affected: [
    { package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }
  ],
  ...extra
})
const zipOf = (rs: OsvRecord[], opts?: { zip64?: boolean }): Buffer =>
  writeZip(
    rs.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })),
    opts
  )

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'osv-offline-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('offline OSV directory', () => {
  it('reads JSON records at any depth and indexes them by ecosystem and name', async () => {
    mkdirSync(path.join(dir, 'a/b/c'), { recursive: true })
    writeFileSync(path.join(dir, 'top.json'), JSON.stringify(rec('GHSA-1', 'npm', 'lodash')))
    writeFileSync(path.join(dir, 'a/b/c/deep.json'), JSON.stringify(rec('PYSEC-1', 'PyPI', 'Jinja2')))
    writeFileSync(path.join(dir, 'a/not-osv.json'), JSON.stringify({ hello: 'world' }))
    writeFileSync(path.join(dir, 'a/notes.txt'), 'ignored')
    const src = createOfflineSource(dir)
    const res = await src.query([
      { ecosystem: 'npm', name: 'lodash', version: '1.0.0' },
      { ecosystem: 'npm', name: 'Lodash', version: '1.0.0' },
      { ecosystem: 'PyPI', name: 'jinja2', version: '2.0' },
      { ecosystem: 'Go', name: 'lodash', version: '1.0.0' }
    ])
    expect(res.map((r) => r.map((x) => x.id))).toEqual([['GHSA-1'], [], ['PYSEC-1'], []])
  })

  it('indexes a record once per package even when it lists several ranges of the package', async () => {
    const r = rec('GHSA-2', 'npm', 'x')
    r.affected?.push({ package: { ecosystem: 'npm', name: 'x' }, versions: ['9.9.9'] })
    r.affected?.push({ package: { ecosystem: 'npm', name: 'y' }, versions: ['1.0.0'] })
    writeFileSync(path.join(dir, 'r.json'), JSON.stringify(r))
    const res = await createOfflineSource(dir).query([
      { ecosystem: 'npm', name: 'x', version: '1' },
      { ecosystem: 'npm', name: 'y', version: '1' }
    ])
    expect(res.map((l) => l.length)).toEqual([1, 1])
  })

  it('reads per-ecosystem all.zip files and only those of the queried ecosystems', async () => {
    mkdirSync(path.join(dir, 'Debian'))
    mkdirSync(path.join(dir, 'Alpine:v3.19'))
    mkdirSync(path.join(dir, 'PyPI'))
    writeFileSync(
      path.join(dir, 'Debian/all.zip'),
      zipOf([rec('DEBIAN-CVE-1', 'Debian:12', 'glibc'), rec('DEBIAN-CVE-2', 'Debian:11', 'glibc')])
    )
    writeFileSync(
      path.join(dir, 'Alpine:v3.19/all.zip'),
      zipOf([rec('ALPINE-CVE-1', 'Alpine:v3.19', 'musl')], { zip64: true })
    )
    // A broken zip that must never be opened unless PyPI is queried.
    writeFileSync(path.join(dir, 'PyPI/all.zip'), 'this is not a zip')
    const src = createOfflineSource(dir)
    const res = await src.query([
      { ecosystem: 'Debian:12', name: 'glibc', version: '2.36-9' },
      { ecosystem: 'Alpine:v3.19', name: 'musl', version: '1.2.4-r2' }
    ])
    expect(res.map((r) => r.map((x) => x.id))).toEqual([['DEBIAN-CVE-1'], ['ALPINE-CVE-1']])
    await expect(src.query([{ ecosystem: 'PyPI', name: 'x', version: '1' }])).rejects.toThrow(
      /PyPI\/all\.zip is not a zip archive/
    )
  })

  it('does not open a zip of another release of the same distribution', async () => {
    mkdirSync(path.join(dir, 'Alpine:v3.18'))
    writeFileSync(path.join(dir, 'Alpine:v3.18/all.zip'), 'broken')
    const res = await createOfflineSource(dir).query([
      { ecosystem: 'Alpine:v3.19', name: 'musl', version: '1' }
    ])
    expect(res).toEqual([[]])
  })

  it('reads JSON under an ecosystem folder only for that ecosystem, and zips of unknown names always', async () => {
    mkdirSync(path.join(dir, 'PyPI/sub'), { recursive: true })
    mkdirSync(path.join(dir, 'mirror'))
    writeFileSync(path.join(dir, 'PyPI/sub/broken.json'), '{ not json')
    writeFileSync(path.join(dir, 'mirror/osv-export.zip'), zipOf([rec('GHSA-z', 'npm', 'zlib-sync')]))
    const src = createOfflineSource(dir)
    const res = await src.query([{ ecosystem: 'npm', name: 'zlib-sync', version: '1.0.0' }])
    expect(res.map((r) => r.map((x) => x.id))).toEqual([['GHSA-z']])
    await expect(src.query([{ ecosystem: 'PyPI', name: 'x', version: '1' }])).rejects.toThrow(
      /PyPI\/sub\/broken\.json is not valid JSON/
    )
  })

  it('names the file when a record is not valid JSON, and the directory when it is missing', async () => {
    writeFileSync(path.join(dir, 'bad.json'), '{"id": ')
    await expect(
      createOfflineSource(dir).query([{ ecosystem: 'npm', name: 'x', version: '1' }])
    ).rejects.toThrow(/bad\.json is not valid JSON/)
    await expect(
      createOfflineSource(path.join(dir, 'nope')).query([{ ecosystem: 'npm', name: 'x', version: '1' }])
    ).rejects.toThrow(/OSV database directory .*nope does not exist/)
  })

  it('reports how many records it loaded', () => {
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(rec('A', 'npm', 'a')))
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify([rec('B', 'npm', 'b'), rec('C', 'npm', 'c')]))
    expect(createOfflineSource(dir).load(['npm'])).toBe(3)
  })
})

describe('zip reader', () => {
  it('rejects what is not a zip, naming it', () => {
    expect(() => readZip(Buffer.from('PK nothing'), 'x.zip')).toThrow(/x\.zip is not a zip archive/)
  })
  it('round-trips deflated entries, with and without ZIP64 end records', () => {
    for (const zip64 of [false, true]) {
      const entries = readZip(
        writeZip(
          [
            { name: 'a.json', data: 'A'.repeat(70000) },
            { name: 'b/c.json', data: '{}' }
          ],
          { zip64 }
        )
      )
      expect(entries.map((e) => [e.name, e.read().toString()])).toEqual([
        ['a.json', 'A'.repeat(70000)],
        ['b/c.json', '{}']
      ])
    }
  })

  it('reads many entries in one pass as it reads each alone, stored or deflated', () => {
    const files = Array.from({ length: 50 }, (_, i) => ({
      name: `r${i}.json`,
      data: `{"n": ${i}} `.repeat(i)
    }))
    for (const opts of [{}, { store: true }, { storeFirst: true }]) {
      const dir = new ZipDirectory(writeZip(files, opts), 'x.zip')
      const all = Array.from({ length: dir.count }, (_, i) => i)
      const many = dir.readMany(all)
      expect(many).toBeDefined()
      const { data, starts } = many as { data: Buffer; starts: number[] }
      expect(all.map((i) => data.subarray(starts[i], starts[i + 1]).toString())).toEqual(
        files.map((f) => f.data)
      )
    }
  })

  it('leaves to one-by-one reading an entry the single pass cannot vouch for', () => {
    const zip = writeZip([
      { name: 'a.json', data: '{"a": 1}' },
      { name: 'b.json', data: '{"b": 2}' }
    ])
    // A wrong CRC-32 in the central directory of the second entry (one-by-one reading does not check it).
    const cd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    zip.writeUInt32LE(zip.readUInt32LE(cd + 16) ^ 1, cd + 16)
    const dir = new ZipDirectory(zip, 'x.zip')
    expect(dir.readMany([0, 1])).toBeUndefined()
    expect(dir.readMany([0])).toBeDefined()
    expect([dir.read(0).toString(), dir.read(1).toString()]).toEqual(['{"a": 1}', '{"b": 2}'])
  })
})
