/**
 * apk ordering, rule by rule, as apk-tools' src/version.c (2.14 and 3.x) compares versions. The upstream vectors
 * (test/version.data) are in versions.test.ts; these are the cases that each rule decides, including the ones
 * the older token walker (apk-tools ≤ 2.12) decided differently: leading zeros after a dot compare as strings,
 * a suffix must be a whole known word, and `~hash` sits between the suffixes and the revision.
 */
import { describe, expect, it } from '@jest/globals'
import { compareApk, isValidApk } from '../../../src/scan/versions/apk.js'

const CASES: [string, '<' | '=' | '>', string, string][] = [
  // A pre-release suffix sorts before the release, however many components the release has.
  ['1.2_pre1', '<', '1.2', 'pre-release before its release'],
  ['1.2_pre1', '<', '1.2.0', 'pre-release before a release with more components'],
  ['1_pre1', '<', '1.0', 'pre-release of a one-component version'],
  ['1.2_rc1', '<', '1.2.0', 'release candidate before a longer release'],
  ['1.2_alpha', '<', '1.2.0.0', 'alpha before a much longer release'],
  ['1.2_pre1-r0', '<', '1.2.0-r0', 'the revision does not change that'],
  ['1.2_pre1', '<', '1.2a', 'pre-release before a letter'],
  ['1.2_pre1', '<', '1.2.1', 'pre-release before the next release'],
  // A component of 0 before the suffix: the older walker put these after the release.
  ['1.0_rc1', '<', '1.0', 'release candidate of x.0 before x.0'],
  ['2.0_pre1', '<', '2.0', 'pre-release of x.0 before x.0'],
  ['1.0_pre1', '<', '1.0.0', 'pre-release of x.0 before a longer x.0.0'],
  ['5.0_alpha3-r0', '<', '5.0-r0', 'and with revisions'],
  ['1.0_p1', '>', '1.0', 'post-release of x.0 after x.0'],
  // The suffix order.
  ['1.2_alpha', '<', '1.2_beta', 'alpha < beta'],
  ['1.2_beta', '<', '1.2_pre', 'beta < pre'],
  ['1.2_pre', '<', '1.2_rc', 'pre < rc'],
  ['1.2_rc', '<', '1.2', 'rc < release'],
  ['1.2', '<', '1.2_cvs', 'release < cvs'],
  ['1.2_cvs', '<', '1.2_svn', 'cvs < svn'],
  ['1.2_svn', '<', '1.2_git', 'svn < git'],
  ['1.2_git', '<', '1.2_hg', 'git < hg'],
  ['1.2_hg', '<', '1.2_p', 'hg < p'],
  ['1.2_pre', '<', '1.2_pre1', 'a suffix number after the bare suffix'],
  ['1.2_pre2', '<', '1.2_pre10', 'suffix numbers compare numerically'],
  ['1.2_p1', '>', '1.2', 'post-release after its release'],
  ['1.2_p1', '<', '1.2.0', 'post-release of 1.2 before a release with more components'],
  ['1.2.0_pre1', '>', '1.2', 'a longer version with a pre-release is still after the shorter release'],
  ['0.1.0_alpha_pre2', '<', '0.1.0_alpha', 'a chained pre-release suffix'],
  // Letters.
  ['1.2a', '>', '1.2', 'a letter after the release'],
  ['1.2a', '<', '1.2b', 'letters compare as characters'],
  ['1.2a', '<', '1.2.1', 'a letter before a further component'],
  ['1.2a_pre1', '<', '1.2a', 'pre-release of a lettered version'],
  // Numbers: numeric, except leading zeros after a dot compare as strings (Gentoo).
  ['1.10', '>', '1.9', 'numeric components'],
  ['1.01', '<', '1.1', 'leading zero: string order'],
  ['1.001', '<', '1.01', 'more leading zeros sort first'],
  ['8.2.0', '<', '8.2.001', 'a shorter string sorts first'],
  ['010', '=', '10', 'the first component is always numeric'],
  // Commit hash and revision.
  ['1.0~abc', '>', '1.0', 'a hash after the release'],
  ['1.0~abc', '<', '1.0~abd', 'hashes compare as strings'],
  ['1.0~abc-r1', '>', '1.0-r1', 'a hash before the revision'],
  ['1.0-r1', '<', '1.0-r2', 'revisions'],
  ['1.0-r10', '>', '1.0-r9', 'revisions compare numerically'],
  ['1.0-r0', '>', '1.0', 'a revision after no revision'],
  // Invalid tails sort after everything valid at that point.
  ['1.0_foo', '<', '1.0', 'an unknown suffix is invalid'],
  ['1.0_preview', '<', '1.0', 'a suffix must be a whole known word'],
  ['1.0', '<', '1.0bc', 'two letters are invalid (apk compares what it parsed)']
]

describe('apk version rules', () => {
  it.each(CASES)('%s %s %s (%s)', (a, op, b) => {
    const want = op === '<' ? -1 : op === '>' ? 1 : 0
    expect(Math.sign(compareApk(a, b))).toBe(want)
    expect(Math.sign(compareApk(b, a))).toBe(-want || 0)
  })

  it.each([
    ['1.2.3_rc1-r0', true],
    ['1.2a_pre1~abcdef-r3', true],
    ['20240101', true],
    ['1.2-r', false],
    ['1.2.3a4', false],
    ['1.2_foo', false],
    ['1.2-1', false],
    ['', false]
  ])('validates %j as %s', (v, ok) => {
    expect(isValidApk(v)).toBe(ok)
  })
})
