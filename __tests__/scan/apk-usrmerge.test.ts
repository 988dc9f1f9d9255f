/**
 * apk databases at both of apk-tools' paths, found through the image's own symlinks: Alpine's
 * `/lib/apk/db/installed`, and the usr-merged layout of Wolfi and Chainguard (`/usr/lib/apk/db/installed` with
 * `/lib` a symlink to `usr/lib`). The images are built by the real engine; the databases are in the layout
 * apk-tools writes (checksum, package, version, arch, size, description, URL, license, origin, maintainer,
 * build time, commit, dependencies, provides, then the package's directories and files with their checksums).
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { FileScope, finalLinks, resolveInView } from '../../src/scan/image/view.js'
import { emptyRecord } from '../../src/scan/image/record.js'
import { apkAnalyzer } from '../../src/scan/inventory/apk.js'
import type { ScanResult } from '../../src/scan/types.js'
import { buildImage, removeImages, scanImage } from './helpers.js'

const made: string[] = []
afterAll(() => removeImages(...made))

interface Apk {
  name: string
  version: string
  origin: string
}

/** One package's entry as apk-tools writes it to the installed database. */
function entry(p: Apk): string {
  return [
    'C:Q1' +
      Buffer.from(p.name + p.version)
        .toString('base64')
        .slice(0, 27) +
      '=',
    `P:${p.name}`,
    `V:${p.version}`,
    'A:x86_64',
    'S:412345',
    'I:1011712',
    `T:${p.name} test package`,
    'U:https://example.org/',
    'L:MIT',
    `o:${p.origin}`,
    'm:Test <test@example.org>',
    't:1700000000',
    'c:0123456789abcdef0123456789abcdef01234567',
    'D:so:libc.musl-x86_64.so.1',
    `p:so:lib${p.name}.so.1=1.0`,
    'F:usr/lib',
    `R:lib${p.name}.so.1`,
    'a:0:0:755',
    'Z:Q1aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=',
    ''
  ].join('\n')
}

const WOLFI: Apk[] = [
  { name: 'glibc', version: '2.39-r5', origin: 'glibc' },
  { name: 'libcrypto3', version: '3.3.1-r0', origin: 'openssl' },
  { name: 'libssl3', version: '3.3.1-r0', origin: 'openssl' },
  { name: 'wolfi-baselayout', version: '20230201-r12', origin: 'wolfi-baselayout' }
]
const ALPINE: Apk[] = [
  { name: 'musl', version: '1.2.4_git20230717-r4', origin: 'musl' },
  { name: 'zlib', version: '1.3.1-r0', origin: 'zlib' }
]
const db = (pkgs: Apk[]): Buffer => Buffer.from(pkgs.map(entry).join('\n'))
const listed = (r: ScanResult): string[] =>
  r.inventory.packages.filter((p) => p.type === 'apk').map((p) => `${p.name} ${p.version} ${p.source}`)
const expected = (pkgs: Apk[]): string[] => pkgs.map((p) => `${p.name} ${p.version} ${p.origin}`).sort()

async function image(dockerfile: string, files: { name: string; data: Buffer }[]): Promise<ScanResult> {
  const name = await buildImage(dockerfile, files)
  made.push(name)
  return scanImage(name)
}

describe('apk databases through the image symlinks', () => {
  it('Wolfi/Chainguard: /usr/lib/apk/db/installed with /lib -> usr/lib (relative and absolute links)', async () => {
    for (const link of ['usr/lib', '/usr/lib']) {
      const r = await image(
        `FROM busybox:stable\nCOPY installed /usr/lib/apk/db/installed\nRUN ln -s ${link} /lib\n`,
        [{ name: 'installed', data: db(WOLFI) }]
      )
      expect(listed(r).sort()).toEqual(expected(WOLFI))
      expect(r.inventory.databases).toEqual([
        { path: '/usr/lib/apk/db/installed', format: 'apk', packages: 4 }
      ])
    }
  })

  it('Alpine: /lib/apk/db/installed; a stray copy elsewhere is not the installed database', async () => {
    const r = await image(
      'FROM busybox:stable\nCOPY installed /lib/apk/db/installed\nCOPY stray /root/backup/lib/apk/db/installed\n',
      [
        { name: 'installed', data: db(ALPINE) },
        { name: 'stray', data: db(WOLFI) }
      ]
    )
    expect(listed(r).sort()).toEqual(expected(ALPINE))
    expect(r.inventory.databases).toEqual([{ path: '/lib/apk/db/installed', format: 'apk', packages: 2 }])
  })

  it('a database under a directory that a later layer replaced with a symlink is gone', async () => {
    const r = await image(
      'FROM busybox:stable\nCOPY old /lib/apk/db/installed\nCOPY installed /usr/lib/apk/db/installed\n' +
        'RUN rm -rf /lib && ln -s usr/lib /lib\n',
      [
        { name: 'old', data: db(ALPINE) },
        { name: 'installed', data: db(WOLFI) }
      ]
    )
    expect(listed(r).sort()).toEqual(expected(WOLFI))
  })
})

describe('path resolution in the final view', () => {
  const links = (pairs: [string, string][]): Map<string, string> => {
    const r = emptyRecord()
    for (const [p, t] of pairs) r.links.set(p, t)
    return finalLinks([r])
  }

  it('follows relative, absolute and chained links, and never leaves the image root', () => {
    const l = links([
      ['lib', 'usr/lib'],
      ['usr/lib', '/usr/lib64'],
      ['var/lib/rpm', '../../usr/lib/sysimage/rpm'],
      ['escape', '../../../../etc'],
      ['loop', 'loop2'],
      ['loop2', 'loop']
    ])
    expect(resolveInView('lib/apk/db/installed', l)).toBe('usr/lib64/apk/db/installed')
    expect(resolveInView('var/lib/rpm/Packages', l)).toBe('usr/lib64/sysimage/rpm/Packages')
    expect(resolveInView('escape/os-release', l)).toBe('etc/os-release')
    expect(resolveInView('loop/x', l)).toBeUndefined()
    expect(resolveInView('etc/passwd', l)).toBe('etc/passwd')
  })

  it('a later layer that deletes or replaces a link removes it', () => {
    const a = emptyRecord()
    a.links.set('lib', 'usr/lib')
    a.links.set('sbin', 'usr/sbin')
    const b = emptyRecord()
    b.whiteouts.add('lib')
    b.dirs.set('sbin', 0o755)
    expect(finalLinks([a, b]).size).toBe(0)
    const scope = new FileScope([a], [apkAnalyzer])
    expect(scope.live('usr/lib/apk/db/installed')).toBe(true)
    expect(scope.live('lib/apk/db/installed')).toBe(false)
    expect(scope.live('opt/lib/apk/db/installed')).toBe(false)
  })
})
