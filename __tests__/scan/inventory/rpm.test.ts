import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { parseRpmDb, parseRpmHeader, rpmAnalyzer, splitSourceRpm } from '../../../src/scan/inventory/rpm.js'
import { SqliteReader } from '../../../src/scan/inventory/sqlite.js'

const db = gunzipSync(readFileSync(new URL('../fixtures/rpmdb.sqlite.gz', import.meta.url)))

// What `rpm -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM}\n'` printed for the fixture.
const RPM_QA = `bash 0:5.1.8-6.el9_1 x86_64 bash-5.1.8-6.el9_1.src.rpm
big-desc 3:0.1-1.el9 x86_64 big-desc-0.1-1.el9.src.rpm
glibc-common 0:2.34-83.el9.7 x86_64 glibc-2.34-83.el9.7.src.rpm
openssl-libs 1:3.0.7-24.el9 x86_64 openssl-3.0.7-24.el9.src.rpm
python3-libs 0:3.9.18-1.el9_3 x86_64 python3.9-3.9.18-1.el9_3.src.rpm
zlib 0:1.2.11-40.el9 x86_64 zlib-1.2.11-40.el9.src.rpm`

describe('rpm SQLite database', () => {
  it('lists what rpm -qa lists, with epoch, arch and source package', () => {
    const pkgs = parseRpmDb(db, 'var/lib/rpm/rpmdb.sqlite')
    const fromRpm = RPM_QA.split('\n').map((l) => {
      const [name, evr, arch, srpm] = l.split(' ')
      const src = splitSourceRpm(srpm)!
      // The source package shares the binary's epoch.
      const epoch = evr.startsWith('0:') ? '' : evr.slice(0, evr.indexOf(':') + 1)
      return `${name} ${evr.replace(/^0:/, '')} ${arch} ${src.name} ${epoch}${src.version}`
    })
    expect(pkgs.map((p) => `${p.name} ${p.version} ${p.arch} ${p.source} ${p.sourceVersion}`).sort()).toEqual(
      fromRpm
    )
  })

  it('reads rows spread over several b-tree pages and a header in overflow pages', () => {
    const reader = new SqliteReader(db)
    const rows = reader.rows('Packages')
    expect(rows.map((r) => r[0])).toEqual([1n, 2n, 3n, 4n, 5n, 6n])
    const big = rows.map((r) => r[1] as Buffer).find((b) => b.length > 20000)!
    expect(big.length).toBe(29192)
    expect(parseRpmHeader(big).get(1000)).toBe('big-desc')
    expect(() => reader.rows('NoSuchTable')).toThrow(/no table NoSuchTable/)
  })

  it('refuses what is not an SQLite database, and matches the rpm database files', () => {
    expect(() => parseRpmDb(Buffer.from('SQLite format 2\0'.padEnd(200, 'x')), 'x')).toThrow(
      /not an SQLite 3 database/
    )
    expect(rpmAnalyzer.match('var/lib/rpm/rpmdb.sqlite')).toBe(true)
    expect(rpmAnalyzer.match('usr/lib/sysimage/rpm/rpmdb.sqlite')).toBe(true)
    expect(rpmAnalyzer.match('var/lib/rpm/Packages')).toBe(true)
    expect(rpmAnalyzer.match('var/lib/rpm/Packages.bak')).toBe(false)
    expect(splitSourceRpm('not-a-srpm')).toBeUndefined()
  })
})
