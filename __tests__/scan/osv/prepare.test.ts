import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setImmediate as tick } from 'node:timers/promises'
import { afterEach, beforeEach, describe, it, expect } from '@jest/globals'
import { writeZip } from '../../helpers/zip.js'
import { createOfflineSource } from '../../../src/scan/osv/index.js'
import { looseKey, mentionedNames, mentionsOf, PreparedFile } from '../../../src/scan/osv/prepare.js'
import type { OsvRecord } from '../../../src/scan/osv/types.js'

const rec = (id: string, ecosystem: string, name: string): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }]
})

let dir: string
const cacheSetting = process.env.SECURE_IMAGE_CACHE_DIR
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'osv-prepare-'))
  // An empty cache for each test: these tests watch the index being built (index-cache.test.ts tests the cache).
  process.env.SECURE_IMAGE_CACHE_DIR = path.join(dir, 'cache')
})
afterEach(() => {
  if (cacheSetting === undefined) delete process.env.SECURE_IMAGE_CACHE_DIR
  else process.env.SECURE_IMAGE_CACHE_DIR = cacheSetting
  rmSync(dir, { recursive: true, force: true })
})

describe('name index of offline OSV records', () => {
  it('collects the loose keys of every name a record mentions, unescaping JSON escapes', () => {
    const text = JSON.stringify({
      id: 'X',
      affected: [{ package: { ecosystem: 'PyPI', name: 'Jinja2_Ext.x' } }, { package: { name: 'a/b' } }],
      credits: [{ name: 'Jane Doe' }]
    }).replace('a/b', 'a\\u002fb')
    expect(mentionedNames(text)).toEqual(['jinja2-ext-x', 'a/b', 'jane doe'])
    expect(looseKey('Foo__Bar.baz')).toBe('foo-bar-baz')
  })

  it('reads records laid one after the other as it reads each alone', () => {
    const texts = [
      JSON.stringify(rec('A', 'npm', 'Left_Pad')),
      ' {"no": "keys here"} ',
      '{"id": "B", "affected": [{"package": {"ecosystem": "PyPI", "name": "a\\u002fb"}}]}',
      '{"id": "C", "name": "bad \\q escape"}',
      '{"id": "D", "affected": [{"pack',
      '',
      '[{"name" : "spaced"}, {"ecosystem":"Go","name":"x"}]'
    ]
    const parts = texts.map((t) => Buffer.from(t))
    const starts = [0]
    for (const p of parts) starts.push(starts[starts.length - 1] + p.length)
    const batch = mentionsOf(Buffer.concat(parts), starts)
    expect(batch).toEqual(texts.map((t) => mentionsOf(Buffer.from(t), [0, Buffer.byteLength(t)])[0]))
    expect(batch).toEqual([
      { names: ['left-pad'], ecosystems: ['npm'] },
      { names: [], ecosystems: [] },
      { names: ['a/b'], ecosystems: ['PyPI'] },
      undefined,
      undefined,
      undefined,
      { names: ['spaced', 'x'], ecosystems: ['Go'] }
    ])
  })

  it('marks a text that is cut short, so that it is parsed (and reported) whatever the query', () => {
    expect(mentionedNames('{"id": "X", "affected": [{"package": {"name": "a"}}, {"pack')).toBeUndefined()
    expect(mentionedNames('  [{"name": "a"}]\n')).toEqual(['a'])
  })

  it('indexes a zip in slices and lists the entries that may concern a name', () => {
    // About 600 KB of records: more than one slice.
    const records = Array.from({ length: 4000 }, (_, i) => rec(`R-${i}`, 'npm', `pkg${i % 4}`))
    const file = path.join(dir, 'all.zip')
    writeFileSync(file, writeZip(records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) }))))
    const p = new PreparedFile({ file })
    expect(p.step(0)).toBe(false) // a deadline already past: one slice
    expect(p.step(Infinity)).toBe(true)
    const hits = p.candidates(new Set(['pkg1']))
    expect(hits).toEqual(records.flatMap((_, i) => (i % 4 === 1 ? [i] : [])))
    expect(p.text(hits[0]).origin).toBe(`${file}:R-1.json`)
  })
})

describe('offline source with the name index', () => {
  // A record that looks whole but is not valid JSON: only a query for a name it mentions parses it.
  const broken = '{"id": "B", "affected": [{"package": {"ecosystem": "npm", "name": "other"}}, oops]}'

  it('parses only the records that name a queried package', async () => {
    mkdirSync(path.join(dir, 'npm'))
    writeFileSync(
      path.join(dir, 'npm/all.zip'),
      writeZip([
        { name: 'A.json', data: JSON.stringify(rec('A', 'npm', 'lodash')) },
        { name: 'B.json', data: broken }
      ])
    )
    const src = createOfflineSource(dir)
    const res = await src.query([{ ecosystem: 'npm', name: 'lodash', version: '1.0.0' }])
    expect(res.map((r) => r.map((x) => x.id))).toEqual([['A']])
    await expect(src.query([{ ecosystem: 'npm', name: 'other', version: '1' }])).rejects.toThrow(
      /npm\/all\.zip:B\.json is not valid JSON/
    )
  })

  it('gives the same answers when the index was prepared in the background first', async () => {
    mkdirSync(path.join(dir, 'Debian'))
    const records = Array.from({ length: 300 }, (_, i) => rec(`D-${i}`, 'Debian:12', `src${i % 30}`))
    writeFileSync(
      path.join(dir, 'Debian/all.zip'),
      writeZip(records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })))
    )
    writeFileSync(path.join(dir, 'loose.json'), JSON.stringify(rec('L-1', 'Debian:12', 'src3')))
    const queries = ['src3', 'src7', 'absent'].map((name) => ({ ecosystem: 'Debian:12', name, version: '1' }))
    const cold = await createOfflineSource(dir).query(queries)
    const warm = createOfflineSource(dir)
    warm.prepare()
    for (let i = 0; i < 20; i++) await tick()
    const res = await warm.query(queries)
    expect(res).toEqual(cold)
    expect(res.map((r) => r.length)).toEqual([11, 10, 0])
  })

  it('answers whether it has advisories for an ecosystem by parsing only records that name it', async () => {
    mkdirSync(path.join(dir, 'Debian'))
    const broken = '{"id": "X", "affected": [{"package": {"ecosystem": "Debian:11", "name": "y"}}], oops}'
    writeFileSync(
      path.join(dir, 'Debian/all.zip'),
      writeZip([
        { name: 'B.json', data: broken },
        { name: 'A.json', data: JSON.stringify(rec('A', 'Debian:12', 'glibc')) },
        // Names Debian:10 in its text, but not as the ecosystem of a package.
        {
          name: 'C.json',
          data: JSON.stringify({ ...rec('C', 'Debian:9', 'z'), note: { ecosystem: 'Debian:10' } })
        }
      ])
    )
    const src = createOfflineSource(dir)
    expect(src.hasEcosystem?.('Debian:12')).toBe(true)
    expect(src.hasEcosystem?.('Debian:10')).toBe(false)
    expect(src.hasEcosystem?.('Debian:13')).toBe(false)
    expect(src.hasEcosystem?.('npm')).toBe(false)
    // A record that names the ecosystem is parsed, and reported when broken.
    expect(() => src.hasEcosystem?.('Debian:11')).toThrow(/Debian\/all\.zip:B\.json is not valid JSON/)
  })

  it('prepares nothing for a missing directory, and the query names it', async () => {
    const src = createOfflineSource(path.join(dir, 'nope'))
    expect(() => src.prepare()).not.toThrow()
    await expect(src.query([{ ecosystem: 'npm', name: 'x', version: '1' }])).rejects.toThrow(
      /OSV database directory .*nope does not exist/
    )
  })
})
