/**
 * Alpine (apk-tools) version ordering, a port of apk-tools' `apk_version_compare` (src/version.c as apk-tools
 * 2.14 and 3.x write it). No npm package implements it, so it is written here, token for token:
 *
 *     digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}
 *
 * - The first number is compared numerically. A later `.number` is compared numerically too, unless either side
 *   starts with `0`: then both are compared as strings (Gentoo's rule, so `1.01` < `1.1` and `8.2.0` < `8.2.001`).
 * - One lowercase letter may follow a number (`1.2a`).
 * - Suffixes: `_alpha` < `_beta` < `_pre` < `_rc` < (no suffix) < `_cvs` < `_svn` < `_git` < `_hg` < `_p`; the
 *   whole word must be one of these (`_preview` is invalid). A suffix may carry a number (`_pre2`).
 * - `~hex` (a commit hash) is compared as a string, then `-rN` (the package revision) numerically.
 * - When one version runs out of tokens (or the kinds of token differ) the one that goes on is greater, unless
 *   what follows is a pre-release suffix: `1.2_pre1` < `1.2` and `1.2_pre1` < `1.2.0`, but `1.2_p1` > `1.2`.
 *   Otherwise the kinds order digit < letter < suffix < suffix number < hash < revision < end < invalid, and
 *   the version whose next token comes later in that order is the smaller one (`1.2` < `1.2.1` < `1.2.1a`).
 */

enum Token {
  InitialDigit = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  CommitHash = 5,
  RevisionNo = 6,
  End = 7,
  Invalid = 8
}

/** apk-tools' suffix order; `''` (index 5) is "no suffix", the release itself. */
const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p']
const SUFFIX_NONE = SUFFIXES.indexOf('')

interface State {
  token: Token
  /** The token's text (digits, letter, suffix word or hash). */
  value: string
  number: bigint
  suffix: number
}

interface Cursor {
  s: string
  pos: number
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z'
const isHex = (c: string | undefined): boolean =>
  c !== undefined && (isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))

function span(b: Cursor, ok: (c: string | undefined) => boolean): string {
  const start = b.pos
  while (b.pos < b.s.length && ok(b.s[b.pos])) b.pos++
  return b.s.slice(start, b.pos)
}

function parseDigits(t: State, b: Cursor): void {
  t.value = span(b, isDigit)
  t.number = t.value === '' ? 0n : BigInt(t.value)
  if (t.value === '') t.token = Token.Invalid
}

function first(b: Cursor): State {
  const t: State = { token: Token.InitialDigit, value: '', number: 0n, suffix: SUFFIX_NONE }
  parseDigits(t, b)
  return t
}

function next(t: State, b: Cursor): void {
  if (b.pos >= b.s.length) {
    t.token = Token.End
    return
  }
  const c = b.s[b.pos]
  if (isLower(c)) {
    if (t.token > Token.Digit) return invalid(t)
    t.value = c
    t.token = Token.Letter
    b.pos++
    return
  }
  if (c === '.' || isDigit(c)) {
    if (c === '.') {
      if (t.token > Token.Digit) return invalid(t)
      b.pos++
    }
    if (t.token === Token.InitialDigit || t.token === Token.Digit) t.token = Token.Digit
    else if (t.token === Token.Suffix) t.token = Token.SuffixNo
    else return invalid(t)
    parseDigits(t, b)
    return
  }
  if (c === '_') {
    if (t.token > Token.SuffixNo) return invalid(t)
    b.pos++
    t.value = span(b, isLower)
    const i = t.value === '' ? -1 : SUFFIXES.indexOf(t.value)
    if (i < 0) return invalid(t)
    t.suffix = i
    t.token = Token.Suffix
    return
  }
  if (c === '~') {
    if (t.token >= Token.CommitHash) return invalid(t)
    b.pos++
    t.value = span(b, isHex)
    if (t.value === '') return invalid(t)
    t.token = Token.CommitHash
    return
  }
  if (c === '-') {
    if (t.token >= Token.RevisionNo || b.s[b.pos + 1] !== 'r') return invalid(t)
    b.pos += 2
    t.token = Token.RevisionNo
    parseDigits(t, b)
    return
  }
  invalid(t)
}

function invalid(t: State): void {
  t.token = Token.Invalid
}

/** apk's `apk_blob_sort`: bytes, then the shorter first. */
function blobSort(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i)
    if (d) return d < 0 ? -1 : 1
  }
  return Math.sign(a.length - b.length)
}

function tokenCmp(a: State, b: State): number {
  let x: bigint
  let y: bigint
  switch (a.token) {
    case Token.Digit:
      if (a.value[0] === '0' || b.value[0] === '0') return blobSort(a.value, b.value)
      x = a.number
      y = b.number
      break
    case Token.InitialDigit:
    case Token.SuffixNo:
    case Token.RevisionNo:
      x = a.number
      y = b.number
      break
    case Token.Letter:
      return blobSort(a.value, b.value)
    case Token.Suffix:
      return Math.sign(a.suffix - b.suffix)
    default:
      return blobSort(a.value, b.value)
  }
  return x < y ? -1 : x > y ? 1 : 0
}

export function compareApk(a: string, b: string): number {
  const ca: Cursor = { s: a, pos: 0 }
  const cb: Cursor = { s: b, pos: 0 }
  const ta = first(ca)
  const tb = first(cb)
  while (ta.token === tb.token && ta.token < Token.End) {
    const r = tokenCmp(ta, tb)
    if (r !== 0) return r
    next(ta, ca)
    next(tb, cb)
  }
  if (ta.token === tb.token) return 0
  // The leading tokens are equal: the version that goes on is greater, unless it goes on with a pre-release.
  if (ta.token === Token.Suffix && ta.suffix < SUFFIX_NONE) return -1
  if (tb.token === Token.Suffix && tb.suffix < SUFFIX_NONE) return 1
  if (ta.token > tb.token) return -1
  if (tb.token > ta.token) return 1
  return 0
}

/** True for a version apk itself accepts (`apk_version_validate`). */
export function isValidApk(v: string): boolean {
  const c: Cursor = { s: v, pos: 0 }
  const t = first(c)
  while (t.token < Token.End) next(t, c)
  return t.token === Token.End
}
