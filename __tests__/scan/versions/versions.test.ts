import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import {
  comparatorFor,
  compareApk,
  compareDpkg,
  compareMaven,
  comparePep440,
  compareRpm,
  compareSemver
} from '../../../src/scan/versions/index.js'
import { rpmvercmp } from '../../../src/scan/versions/rpm.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0)

describe('dpkg ordering', () => {
  // dpkg scripts/t/Dpkg_Version.t __DATA__ (a b expected)
  const DATA = `1.0-1 2.0-2 -1
2.2~rc-4 2.2-1 -1
2.2-1 2.2~rc-4 1
1.0000-1 1.0-1 0
1 0:1 0
0 0:0-0 0
2:2.5 1:7.5 1
1:0foo 0foo 1
0:0foo 0foo 0
0foo 0foo 0
0foo- 0foo 0
0foo- 0foo-0 0
0foo 0fo 1
0foo- 0foo+ -1
0foo~1 0foo -1
0foo~foo+Bar 0foo~foo+bar -1
0foo~~ 0foo~ -1
1~ 1 -1
12345+that-really-is-some-ver-0 12345+that-really-is-some-ver-10 -1
0foo-0 0foo-01 -1
0foo.bar 0foobar 1
0foo.bar 0foo1bar 1
0foo.bar 0foo0bar 1
0foo1bar-1 0foobar-1 -1
0foo2.0 0foo2 1
0foo2.0.0 0foo2.10.0 -1
0foo2.0 0foo2.0.0 -1
0foo2.0 0foo2.10 -1
0foo2.1 0foo2.10 -1
1.09 1.9 0
1.0.8+nmu1 1.0.8 1
3.11 3.10+nmu1 1
0.9j-20080306-4 0.9i-20070324-2 1
1.2.0~b7-1 1.2.0~b6-1 1
1.011-1 1.06-2 1
0.0.9+dfsg1-1 0.0.8+dfsg1-3 1
4.6.99+svn6582-1 4.6.99+svn6496-1 1
53 52 1
0.9.9~pre122-1 0.9.9~pre111-1 1
2:2.3.2-2+lenny2 2:2.3.2-2 1
1:3.8.1-1 3.8.GA-1 1
1.0.1+gpl-1 1.0.1-2 1
1a 1000a -1
-0.6.5 0.9.1 -1`
  const cases = DATA.split('\n').map((l) => l.split(' ') as [string, string, string])
  it.each(cases)('%s vs %s is %s', (a, b, r) => {
    expect(sign(compareDpkg(a, b))).toBe(Number(r))
    expect(sign(compareDpkg(b, a))).toBe(Number(r) === 0 ? 0 : -Number(r))
  })

  // lib/dpkg/t/t-version.c: dpkg_version_compare and parseversion cases
  it('follows t-version.c', () => {
    expect(compareDpkg('0:0-00', '0:00-0')).toBe(0)
    expect(compareDpkg('1:2-3', '1:2-3')).toBe(0)
    expect(compareDpkg('0:0-0', '1:0-0')).toBeLessThan(0)
    expect(compareDpkg('0:a-0', '0:b-0')).toBeLessThan(0)
    expect(compareDpkg('0:0-a', '0:0-b')).toBeLessThan(0)
    expect(compareDpkg('1-1', '2-1')).toBeLessThan(0)
    expect(compareDpkg('1-1', '1-2')).toBeLessThan(0)
    expect(compareDpkg('0', '0:0')).toBe(0)
    expect(compareDpkg('0:0-', '0:0')).toBe(0)
    expect(compareDpkg('0:0.0-0.0', '0.0-0.0')).toBe(0)
    expect(compareDpkg('5:1', '1')).toBeGreaterThan(0)
    expect(compareDpkg('0:0-0-0', '0-0-0')).toBe(0)
    expect(compareDpkg('0:09azAZ.-+~:-0', '09azAZ.-+~:-0')).toBe(0)
    expect(compareDpkg('  \t0:0-1', '0:0-1')).toBe(0)
    expect(compareDpkg('\t  0:0-1  \t', '0-1')).toBe(0)
  })

  it('orders real Debian 12 versions', () => {
    expect(compareDpkg('252.39-1~deb12u2', '252.39-1')).toBeLessThan(0)
    expect(compareDpkg('252.39-1~deb12u2', '252.39-1~deb12u1')).toBeGreaterThan(0)
    expect(compareDpkg('1:1.2.13.dfsg-1', '1.2.13.dfsg-1+deb12u1')).toBeGreaterThan(0)
    expect(compareDpkg('2.36-9+deb12u14', '2.36-9+deb12u3')).toBeGreaterThan(0)
  })

  it('never throws on garbage', () => {
    for (const v of ['', ':', 'a:b', '-', '::--', '\u00e9']) expect(() => compareDpkg(v, '1.0')).not.toThrow()
  })
})

describe('apk ordering', () => {
  // apk-tools test/version.data, verbatim
  const lines = readFileSync(path.join(here, 'apk-version.data'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean)
  const cases = lines.map((l) => l.split(/\s+/) as [string, string, string])
  it('has the upstream vectors', () => expect(cases.length).toBeGreaterThan(700))
  it.each(cases)('%s %s %s', (a, op, b) => {
    const want = op === '<' ? -1 : op === '>' ? 1 : 0
    expect(sign(compareApk(a, b))).toBe(want)
    expect(sign(compareApk(b, a))).toBe(want === 0 ? 0 : -want)
  })
})

describe('rpm ordering', () => {
  // rpm tests/rpmvercmp.at (with the caret cases)
  const RPM: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0', '1.0', 1],
    ['2.0.1', '2.0.1', 0],
    ['2.0', '2.0.1', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1a', 0],
    ['2.0.1a', '2.0.1', 1],
    ['2.0.1', '2.0.1a', -1],
    ['5.5p1', '5.5p1', 0],
    ['5.5p1', '5.5p2', -1],
    ['5.5p2', '5.5p1', 1],
    ['5.5p10', '5.5p10', 0],
    ['5.5p1', '5.5p10', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['10.1xyz', '10xyz', 1],
    ['xyz10', 'xyz10', 0],
    ['xyz10', 'xyz10.1', -1],
    ['xyz10.1', 'xyz10', 1],
    ['xyz.4', 'xyz.4', 0],
    ['xyz.4', '8', -1],
    ['8', 'xyz.4', 1],
    ['xyz.4', '2', -1],
    ['2', 'xyz.4', 1],
    ['5.5p2', '5.6p1', -1],
    ['5.6p1', '5.5p2', 1],
    ['5.6p1', '6.5p1', -1],
    ['6.5p1', '5.6p1', 1],
    ['6.0.rc1', '6.0', 1],
    ['6.0', '6.0.rc1', -1],
    ['10b2', '10a1', 1],
    ['10a2', '10b2', -1],
    ['1.0aa', '1.0aa', 0],
    ['1.0a', '1.0aa', -1],
    ['1.0aa', '1.0a', 1],
    ['10.0001', '10.0001', 0],
    ['10.0001', '10.1', 0],
    ['10.1', '10.0001', 0],
    ['10.0001', '10.0039', -1],
    ['10.0039', '10.0001', 1],
    ['4.999.9', '5.0', -1],
    ['5.0', '4.999.9', 1],
    ['20101121', '20101121', 0],
    ['20101121', '20101122', -1],
    ['20101122', '20101121', 1],
    ['2_0', '2_0', 0],
    ['2.0', '2_0', 0],
    ['2_0', '2.0', 0],
    ['a', 'a', 0],
    ['a+', 'a+', 0],
    ['a+', 'a_', 0],
    ['a_', 'a+', 0],
    ['+a', '+a', 0],
    ['+a', '_a', 0],
    ['_a', '+a', 0],
    ['+_', '+_', 0],
    ['_+', '+_', 0],
    ['_+', '_+', 0],
    ['+', '_', 0],
    ['_', '+', 0],
    ['1.0~rc1', '1.0~rc1', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0', '1.0~rc1', 1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc2', '1.0~rc1', 1],
    ['1.0~rc1~git123', '1.0~rc1~git123', 0],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0~rc1', '1.0~rc1~git123', 1],
    ['1.0^', '1.0^', 0],
    ['1.0^', '1.0', 1],
    ['1.0', '1.0^', -1],
    ['1.0^git1', '1.0^git1', 0],
    ['1.0^git1', '1.0', 1],
    ['1.0', '1.0^git1', -1],
    ['1.0^git1', '1.0^git2', -1],
    ['1.0^git2', '1.0^git1', 1],
    ['1.0^git1', '1.01', -1],
    ['1.01', '1.0^git1', 1],
    ['1.0^20160101', '1.0^20160101', 0],
    ['1.0^20160101', '1.0.1', -1],
    ['1.0.1', '1.0^20160101', 1],
    ['1.0^20160101^git1', '1.0^20160101^git1', 0],
    ['1.0^20160102', '1.0^20160101^git1', 1],
    ['1.0^20160101^git1', '1.0^20160102', -1],
    ['1.0~rc1^git1', '1.0~rc1^git1', 0],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0~rc1', '1.0~rc1^git1', -1],
    ['1.0^git1~pre', '1.0^git1~pre', 0],
    ['1.0^git1', '1.0^git1~pre', 1],
    ['1.0^git1~pre', '1.0^git1', -1]
  ]
  it.each(RPM)('rpmvercmp(%s, %s) = %i', (a, b, r) => expect(rpmvercmp(a, b)).toBe(r))

  it('compares epoch, version and release', () => {
    expect(compareRpm('1:1.0-1', '2.0-1')).toBe(1)
    expect(compareRpm('0:1.0-1.el9', '1.0-1.el9')).toBe(0)
    expect(compareRpm('1.0-1.el9', '1.0-2.el9')).toBe(-1)
    expect(compareRpm('3.0.7-24.el9', '3.0.7-25.el9')).toBe(-1)
  })
})

describe('SemVer ordering (npm, Go, crates.io)', () => {
  // semver.org §11 precedence example
  const ORDER = [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '2.0.0',
    '2.1.0',
    '2.1.1'
  ]
  it('follows the SemVer precedence example', () => {
    for (let i = 1; i < ORDER.length; i++) expect(compareSemver(ORDER[i - 1], ORDER[i])).toBe(-1)
  })
  it('accepts Go v prefixes, pseudo-versions and +incompatible', () => {
    const go = comparatorFor('Go')
    expect(go('v1.2.3', '1.2.3')).toBe(0)
    expect(go('v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20200101000000-aaaaaaaaaaaa')).toBe(-1)
    expect(go('v0.0.0-20191109021931-daa7c04131f5', 'v0.1.0')).toBe(-1)
    expect(go('v1.5.1-0.20200101000000-abcdefabcdef', 'v1.5.0')).toBe(1)
    expect(go('v1.5.1-0.20200101000000-abcdefabcdef', 'v1.5.1')).toBe(-1)
    expect(go('v2.0.0+incompatible', 'v2.0.0')).toBe(0)
    expect(go('v2.0.0+incompatible', 'v2.0.1')).toBe(-1)
  })
  it('reads Go toolchain versions as the Go vulnerability database does', () => {
    const go = comparatorFor('Go')
    expect(go('go1.21', '1.21.0')).toBe(0)
    expect(go('go1.21rc2', '1.21.0-rc.2')).toBe(0)
    expect(go('go1.21rc2', '1.21.0')).toBe(-1)
    expect(go('go1.20.14', '1.21.0-rc.1')).toBe(-1)
    expect(go('go1.9beta2', '1.9.0-beta.1')).toBe(1)
  })
  it('orders invalid versions below valid ones without throwing', () => {
    expect(compareSemver('not-a-version', '0.0.1')).toBe(-1)
    expect(compareSemver('1.2.3', 'garbage')).toBe(1)
  })
})

describe('PEP 440 ordering', () => {
  // PEP 440 "Summary of permitted suffixes and relative ordering" example, ascending
  const PEP = [
    '1.dev0',
    '1.0.dev456',
    '1.0a1',
    '1.0a2.dev456',
    '1.0a12.dev456',
    '1.0a12',
    '1.0b1.dev456',
    '1.0b2',
    '1.0b2.post345.dev456',
    '1.0b2.post345',
    '1.0rc1.dev456',
    '1.0rc1',
    '1.0',
    '1.0+abc.5',
    '1.0+abc.7',
    '1.0+5',
    '1.0.post456.dev34',
    '1.0.post456',
    '1.0.15',
    '1.1.dev1'
  ]
  it('follows the PEP 440 ordering example', () => {
    for (let i = 1; i < PEP.length; i++) {
      expect(comparePep440(PEP[i - 1], PEP[i])).toBe(-1)
      expect(comparePep440(PEP[i], PEP[i - 1])).toBe(1)
    }
  })
  it('applies epochs and normalisation', () => {
    expect(comparePep440('1!1.0', '2.0')).toBe(1)
    expect(comparePep440('1.0c1', '1.0rc1')).toBe(0)
    expect(comparePep440('1.0-post1', '1.0.post1')).toBe(0)
    expect(comparePep440('v1.0', '1.0')).toBe(0)
  })
  it('orders non-PEP 440 versions below valid ones', () => {
    expect(comparePep440('foo bar', '0.1')).toBe(-1)
    expect(comparePep440('0.1', 'foo bar')).toBe(1)
  })
})

describe('Maven ordering', () => {
  // maven-artifact ComparableVersionTest
  const QUALIFIER = [
    '1-alpha2snapshot',
    '1-alpha2',
    '1-alpha-123',
    '1-beta-2',
    '1-beta123',
    '1-m2',
    '1-m11',
    '1-rc',
    '1-cr2',
    '1-rc123',
    '1-SNAPSHOT',
    '1',
    '1-sp',
    '1-sp2',
    '1-sp123',
    '1-abc',
    '1-def',
    '1-pom-1',
    '1-1-snapshot',
    '1-1',
    '1-2',
    '1-123'
  ]
  const NUMBER = [
    '2.0',
    '2.0.a',
    '2-1',
    '2.0.2',
    '2.0.123',
    '2.1.0',
    '2.1-a',
    '2.1b',
    '2.1-c',
    '2.1-1',
    '2.1.0.1',
    '2.2',
    '2.123',
    '11.a2',
    '11.a11',
    '11.b2',
    '11.b11',
    '11.m2',
    '11.m11',
    '11',
    '11.a',
    '11b',
    '11c',
    '11m'
  ]
  const ordered = (list: string[]): void => {
    for (let i = 1; i < list.length; i++)
      for (let j = i; j < list.length; j++) {
        expect([list[i - 1], list[j], compareMaven(list[i - 1], list[j])]).toEqual([list[i - 1], list[j], -1])
        expect([list[j], list[i - 1], compareMaven(list[j], list[i - 1])]).toEqual([list[j], list[i - 1], 1])
      }
  }
  it('orders VERSIONS_QUALIFIER', () => ordered(QUALIFIER))
  it('orders VERSIONS_NUMBER', () => ordered(NUMBER))

  const EQUAL: [string, string][] = [
    ['1', '1'],
    ['1', '1.0'],
    ['1', '1.0.0'],
    ['1.0', '1.0.0'],
    ['1', '1-0'],
    ['1', '1.0-0'],
    ['1.0', '1.0-0'],
    ['1a', '1-a'],
    ['1a', '1.0-a'],
    ['1a', '1.0.0-a'],
    ['1.0a', '1-a'],
    ['1.0.0a', '1-a'],
    ['1x', '1-x'],
    ['1x', '1.0-x'],
    ['1x', '1.0.0-x'],
    ['1.0x', '1-x'],
    ['1.0.0x', '1-x'],
    ['1cr', '1rc'],
    ['1a1', '1-alpha-1'],
    ['1b2', '1-beta-2'],
    ['1m3', '1-milestone-3'],
    ['1X', '1x'],
    ['1A', '1a'],
    ['1B', '1b'],
    ['1M', '1m'],
    ['1Cr', '1Rc'],
    ['1cR', '1rC'],
    ['1m3', '1Milestone3'],
    ['1m3', '1MileStone3'],
    ['1m3', '1MILESTONE3'],
    ['1ga', '1'],
    ['1release', '1'],
    ['1final', '1'],
    ['1Ga', '1'],
    ['1GA', '1'],
    ['1RELEASE', '1'],
    ['1RELeaSE', '1'],
    ['1Final', '1'],
    ['1FinaL', '1'],
    ['1FINAL', '1'],
    ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ['1.0.0-alpha1', '1.0.0-ALPHA1'],
    ['1.a', '1.A'],
    ['0000000000000000001', '1'],
    ['000000001', '01'],
    ['0000000000000000000', '0'],
    ['00', '0']
  ]
  it.each(EQUAL)('%s == %s', (a, b) => {
    expect(compareMaven(a, b)).toBe(0)
    expect(compareMaven(b, a)).toBe(0)
  })

  const LESS: [string, string][] = [
    ['1', '2'],
    ['1.5', '2'],
    ['1', '2.5'],
    ['1.0', '1.1'],
    ['1.1', '1.2'],
    ['1.0.0', '1.1'],
    ['1.0.1', '1.1'],
    ['1.1', '1.2.0'],
    ['1.0-alpha-1', '1.0'],
    ['1.0-alpha-1', '1.0-alpha-2'],
    ['1.0-alpha-1', '1.0-beta-1'],
    ['1.0-beta-1', '1.0-SNAPSHOT'],
    ['1.0-SNAPSHOT', '1.0'],
    ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'],
    ['1.0', '1.0-1'],
    ['1.0-1', '1.0-2'],
    ['1.0.0', '1.0-1'],
    ['2.0-1', '2.0.1'],
    ['2.0.1-klm', '2.0.1-lmn'],
    ['2.0.1', '2.0.1-xyz'],
    ['2.0.1', '2.0.1-123'],
    ['2.0.1-xyz', '2.0.1-123'],
    ['0.7', '2'],
    ['0.2', '1.0.7'],
    ['J', '7'],
    ['c', '7'],
    ['\u0668', '1'],
    ['\u0668', '9'],
    ['aardvark', 'zebra'],
    ['6.1.0rc3', '6.1.0'],
    ['6.1.0rc3', '6.1H.5-beta'],
    ['6.1.0', '6.1H.5-beta'],
    ['20190126.230843', '1234567890.12345'],
    ['1234567890.12345', '123456789012345.1H.5-beta'],
    ['123456789012345.1H.5-beta', '12345678901234567890.1H.5-beta'],
    ['1-0.alpha', '1'],
    ['1-0.beta', '1'],
    ['1-0.alpha', '1-0.beta'],
    ['1.0.final-redhat', '1.0-sp1-redhat'],
    ['1.0.final-redhat', '1.0-sp-1-redhat'],
    ['1.0.final-redhat', '1.0-sp.1-redhat']
  ]
  it.each(LESS)('%s < %s', (a, b) => {
    expect(compareMaven(a, b)).toBe(-1)
    expect(compareMaven(b, a)).toBe(1)
  })

  it('MNG-7644: 1.0.0.X1 < 1.0.0-X2 and 2-X == 2.0.X == 2.0.0.X', () => {
    for (const x of ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC']) {
      expect(compareMaven(`1.0.0.${x}1`, `1.0.0-${x}2`)).toBe(-1)
      expect(compareMaven(`2-${x}`, `2.0.${x}`)).toBe(0)
      expect(compareMaven(`2-${x}`, `2.0.0.${x}`)).toBe(0)
      expect(compareMaven(`2.0.${x}`, `2.0.0.${x}`)).toBe(0)
    }
  })
})

describe('comparatorFor', () => {
  it('picks the ecosystem ordering, release suffix or not', () => {
    expect(comparatorFor('Debian:12')('1.0~rc1', '1.0')).toBe(-1)
    expect(comparatorFor('Ubuntu:22.04:LTS')('1:1.0', '2.0')).toBe(1)
    expect(comparatorFor('Alpine:v3.19')('1.1_rc1', '1.1')).toBe(-1)
    expect(comparatorFor('Red Hat')('1.0^git1', '1.0')).toBe(1)
    expect(comparatorFor('PyPI')('1.0rc1', '1.0')).toBe(-1)
    expect(comparatorFor('Maven')('1.0-SNAPSHOT', '1.0')).toBe(-1)
    expect(comparatorFor('crates.io')('0.10.0', '0.9.0')).toBe(1)
    expect(comparatorFor('npm')('1.0.0-beta.11', '1.0.0-beta.2')).toBe(1)
  })
})

describe('every comparator on arbitrary input', () => {
  const all = { compareDpkg, compareApk, compareRpm, compareSemver, comparePep440, compareMaven }
  const versionish = fc.stringMatching(/^[0-9a-zA-Z.~^:+_-]{0,12}$/)
  it.each(Object.entries(all))('%s never throws, is reflexive and antisymmetric', (_name, cmp) => {
    fc.assert(
      fc.property(fc.oneof(versionish, fc.string()), fc.oneof(versionish, fc.string()), (a, b) => {
        expect(cmp(a, a)).toBe(0)
        const ab = sign(cmp(a, b))
        const ba = sign(cmp(b, a))
        expect(ab === 0 ? 0 : ab).toBe(ba === 0 ? 0 : -ba)
      }),
      { numRuns: 3000 }
    )
  })
})
