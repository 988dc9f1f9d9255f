/**
 * The rpm database in each backend real images use, made by the real tools (see helpers/rpmdb.ts): SQLite
 * written by `rpm --justdb`, BerkeleyDB written by Berkeley DB's `db5.3_load`, and NDB written following
 * rpm's `lib/backend/ndb/rpmpkg.c` (Debian has no NDB writer or reader). Each is read by our own readers and
 * must list what the real `rpm -qa` lists; then each is put in an image at its distribution's path and
 * scanned through the real engine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BerkeleyHashReader } from '../../src/scan/inventory/berkeleydb.js'
import { parseRpmDb, rpmAnalyzer } from '../../src/scan/inventory/rpm.js'
import { readNdbBlobs } from '../../src/scan/inventory/rpm-ndb.js'
import type { RawPackage } from '../../src/scan/inventory/types.js'
import type { InventoryPackage } from '../../src/scan/types.js'
import { makeBdb, makeNdb, makeRpmFixture, type RpmFixture } from '../helpers/rpmdb.js'
import { buildImage, removeImages, scanImage } from './helpers.js'

let dir: string
let fx: RpmFixture
let bdb: { db: Buffer; qa: string[] }
let ndb: Buffer
const made: string[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'si-rpmdb-'))
  fx = makeRpmFixture(dir)
  bdb = makeBdb(dir, fx.blobs)
  ndb = makeNdb(fx.blobs)
}, 120_000)

afterAll(() => {
  removeImages(...made)
  rmSync(dir, { recursive: true, force: true })
})

/** `rpm -qa` lines in our terms: the epoch only when set, the source package split from SOURCERPM. */
function expected(qa: string[]): string[] {
  return qa
    .map((line) => {
      const [name, evr, arch, srpm] = line.split(' ')
      const epoch = evr.startsWith('0:') ? '' : evr.slice(0, evr.indexOf(':') + 1)
      const m = /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(srpm)!
      return `${name} ${evr.replace(/^0:/, '')} ${arch} ${m[1]} ${epoch}${m[2]}`
    })
    .sort()
}

/** Name, version, arch (from the purl for scanned packages), source and source version. */
function ours(pkgs: (RawPackage | InventoryPackage)[]): string[] {
  return pkgs
    .map((p) => {
      const arch = 'arch' in p ? p.arch : /[?&]arch=([^&]+)/.exec(p.purl ?? '')?.[1]
      return `${p.name} ${p.version} ${arch} ${p.source} ${p.sourceVersion}`
    })
    .sort()
}

describe('rpm databases written by the real tools', () => {
  it('has packages with and without an epoch, and subpackages of one source rpm', () => {
    expect(fx.qa.length).toBe(25)
    expect(fx.qa).toContain('si-alpha-part3 2:1.2.3-4.el9 noarch si-alpha-1.2.3-4.el9.src.rpm')
    expect(fx.qa).toContain('si-beta 0:0.9-1.el9 noarch si-beta-0.9-1.el9.src.rpm')
  })

  it('SQLite: lists what rpm -qa lists', () => {
    const pkgs = parseRpmDb(fx.sqlite, 'var/lib/rpm/rpmdb.sqlite')
    expect(ours(pkgs)).toEqual(expected(fx.qa))
    expect(pkgs.find((p) => p.name === 'si-alpha-part3')).toMatchObject({
      version: '2:1.2.3-4.el9',
      source: 'si-alpha',
      sourceVersion: '2:1.2.3-4.el9'
    })
  })

  it('BerkeleyDB: lists what rpm -qa (bdb_ro) lists, through hash and overflow pages', () => {
    expect(bdb.qa).toEqual(fx.qa)
    const reader = new BerkeleyHashReader(bdb.db)
    // The database spans several hash pages and the large headers sit on chains of overflow pages.
    const types = new Map<number, number>()
    for (let n = 1; n <= reader.lastPage; n++) {
      const t = bdb.db[n * reader.pageSize + 25]
      types.set(t, (types.get(t) ?? 0) + 1)
    }
    expect(types.get(7)).toBeGreaterThan(20) // P_OVERFLOW
    expect((types.get(13) ?? 0) + (types.get(2) ?? 0)).toBeGreaterThan(1) // P_HASH
    expect(Math.max(...fx.blobs.map((b) => b.blob.length))).toBeGreaterThan(3 * reader.pageSize)
    expect(ours(parseRpmDb(bdb.db, 'var/lib/rpm/Packages'))).toEqual(expected(bdb.qa))
  })

  it('NDB: lists the packages of the same headers, and checks each blob', () => {
    const blobs = readNdbBlobs(ndb)
    expect(blobs.map((b) => b.pkgidx)).toEqual(fx.blobs.map((b) => b.hnum))
    expect(ours(parseRpmDb(ndb, 'usr/lib/sysimage/rpm/Packages.db'))).toEqual(expected(fx.qa))
    const bad = Buffer.from(ndb)
    bad[bad.length - 40] ^= 0xff
    expect(() => readNdbBlobs(bad)).toThrow(/Adler-32/)
  })

  it('refuses what is not a database, naming the problem', () => {
    expect(() => parseRpmDb(Buffer.alloc(4096), 'var/lib/rpm/Packages')).toThrow(
      /not a Berkeley DB hash database/
    )
    expect(() => parseRpmDb(Buffer.alloc(4096), 'usr/lib/sysimage/rpm/Packages.db')).toThrow(/not an rpm NDB/)
    expect(() => parseRpmDb(bdb.db.subarray(0, 8192), 'var/lib/rpm/Packages')).toThrow(/truncated/)
    expect(rpmAnalyzer.match('var/lib/rpm/Packages')).toBe(true)
    expect(rpmAnalyzer.match('usr/lib/sysimage/rpm/Packages.db')).toBe(true)
    expect(rpmAnalyzer.match('var/lib/dpkg/Packages')).toBe(false)
  })
})

describe('rpm databases in images, scanned through the real engine', () => {
  async function scanWith(
    osRelease: string,
    dockerfileTail: string,
    files: { name: string; data: Buffer }[]
  ) {
    const image = await buildImage(
      `FROM busybox:stable\nCOPY os-release /etc/os-release\n${dockerfileTail}`,
      [{ name: 'os-release', data: Buffer.from(osRelease) }, ...files]
    )
    made.push(image)
    return scanImage(image)
  }

  it('CentOS 7: BerkeleyDB at /var/lib/rpm/Packages', async () => {
    const r = await scanWith(
      'NAME="CentOS Linux"\nID="centos"\nVERSION_ID="7"\n',
      'COPY Packages /var/lib/rpm/Packages\n',
      [{ name: 'Packages', data: bdb.db }]
    )
    expect(r.inventory.os?.id).toBe('centos')
    expect(ours(r.inventory.packages.filter((p) => p.type === 'rpm'))).toEqual(expected(bdb.qa))
    // The database is read even when it is larger than the limit for other files.
    expect(bdb.db.length).toBeGreaterThan(64 * 1024)
    const small = await scanImage(made[made.length - 1], { maxFileBytes: 64 * 1024 })
    expect(small.inventory.packages.filter((p) => p.type === 'rpm')).toHaveLength(25)
    expect(r.inventory.databases).toEqual([
      { path: '/var/lib/rpm/Packages', format: 'rpm-bdb', packages: 25 }
    ])
    const part = r.inventory.packages.find((p) => p.name === 'si-alpha-part3')!
    expect(part.purl).toBe(
      'pkg:rpm/centos/si-alpha-part3@1.2.3-4.el9?arch=noarch&distro=centos-7&epoch=2&upstream=si-alpha-1.2.3-4.el9.src.rpm'
    )
  })

  it('SLES 15: NDB at /usr/lib/sysimage/rpm/Packages.db, with /var/lib/rpm a symlink to it', async () => {
    const r = await scanWith(
      'NAME="SLES"\nVERSION="15-SP5"\nVERSION_ID="15.5"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"\nID="sles"\n',
      'COPY Packages.db /usr/lib/sysimage/rpm/Packages.db\nRUN mkdir -p /var/lib && ln -s ../../usr/lib/sysimage/rpm /var/lib/rpm\n',
      [{ name: 'Packages.db', data: ndb }]
    )
    expect(ours(r.inventory.packages.filter((p) => p.type === 'rpm'))).toEqual(expected(fx.qa))
    // One database, though two of rpm's paths lead to it.
    expect(r.inventory.databases).toEqual([
      { path: '/usr/lib/sysimage/rpm/Packages.db', format: 'rpm-ndb', packages: 25 }
    ])
  })

  it('openSUSE Leap: BerkeleyDB at /usr/lib/sysimage/rpm/Packages; Rocky 9: SQLite', async () => {
    const leap = await scanWith(
      'NAME="openSUSE Leap"\nVERSION_ID="15.5"\nID="opensuse-leap"\n',
      'COPY Packages /usr/lib/sysimage/rpm/Packages\n',
      [{ name: 'Packages', data: bdb.db }]
    )
    expect(ours(leap.inventory.packages)).toEqual(expected(bdb.qa))
    const rocky = await scanWith(
      'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\n',
      'COPY rpmdb.sqlite /var/lib/rpm/rpmdb.sqlite\n',
      [{ name: 'rpmdb.sqlite', data: fx.sqlite }]
    )
    expect(ours(rocky.inventory.packages)).toEqual(expected(fx.qa))
    expect(rocky.inventory.databases).toEqual([
      { path: '/var/lib/rpm/rpmdb.sqlite', format: 'rpm-sqlite', packages: 25 }
    ])
  })

  it('a corrupt database is reported as unreadable, not as an empty one', async () => {
    const broken = Buffer.from(bdb.db)
    broken.fill(0, 4096, 8192)
    const r = await scanWith('ID="centos"\nVERSION_ID="7"\n', 'COPY Packages /var/lib/rpm/Packages\n', [
      { name: 'Packages', data: broken.subarray(0, 4096 * 2) }
    ])
    expect(r.inventory.packages.filter((p) => p.type === 'rpm')).toEqual([])
    expect(r.inventory.databases).toEqual([
      expect.objectContaining({
        path: '/var/lib/rpm/Packages',
        format: 'rpm-bdb',
        packages: 0,
        error: expect.stringMatching(/unreadable: .*truncated/)
      })
    ])
    expect(r.inventory.skipped).toEqual([
      { path: '/var/lib/rpm/Packages', reason: expect.stringMatching(/^rpm: unreadable/) }
    ])
  })
})
