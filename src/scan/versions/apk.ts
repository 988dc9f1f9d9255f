/**
 * Alpine (apk-tools) version ordering, a port of apk-tools' `apk_version_compare_blob`:
 * `{digit}{.digit}...{letter}{_suffix{#}}...{-r#}` where the suffixes `_alpha`, `_beta`, `_pre`, `_rc` sort before
 * the release and `_cvs`, `_svn`, `_git`, `_hg`, `_p` after it. A version that stops parsing (an invalid token) is
 * compared up to that point, as apk does.
 */

enum Token {
  Invalid = -1,
  DigitOrZero = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  RevisionNo = 5,
  End = 6
}

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc']
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p']

interface Cursor {
  s: string
  pos: number
  type: Token
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z'

function nextToken(cur: Cursor): void {
  let n: Token = Token.Invalid
  const len = cur.s.length - cur.pos
  const c = cur.s[cur.pos]
  if (len <= 0 || c === '\0') {
    n = Token.End
  } else if ((cur.type === Token.Digit || cur.type === Token.DigitOrZero) && isLower(c)) {
    n = Token.Letter
  } else if (cur.type === Token.Letter && isDigit(c)) {
    n = Token.Digit
  } else if (cur.type === Token.Suffix && isDigit(c)) {
    n = Token.SuffixNo
  } else {
    switch (c) {
      case '.':
        n = Token.DigitOrZero
        break
      case '_':
        n = Token.Suffix
        break
      case '-':
        if (len > 1 && cur.s[cur.pos + 1] === 'r') {
          n = Token.RevisionNo
          cur.pos++
        } else n = Token.Invalid
        break
    }
    cur.pos++
  }
  if (n < cur.type) {
    if (!(
      (n === Token.DigitOrZero && cur.type === Token.Digit) ||
      (n === Token.Suffix && cur.type === Token.SuffixNo) ||
      (n === Token.Digit && cur.type === Token.Letter)
    ))
      n = Token.Invalid
  }
  cur.type = n
}

function getToken(cur: Cursor): bigint {
  const len = cur.s.length - cur.pos
  if (len <= 0) {
    cur.type = Token.End
    return 0n
  }
  let i = 0
  let v = 0n
  let nt: Token = Token.Invalid
  const at = (k: number): string | undefined => cur.s[cur.pos + k]
  const invalid = (): bigint => {
    cur.type = Token.Invalid
    return -1n
  }
  switch (cur.type) {
    case Token.DigitOrZero:
    case Token.Digit:
    case Token.SuffixNo:
    case Token.RevisionNo:
      if (cur.type === Token.DigitOrZero && at(0) === '0') {
        // Leading zero digits get a special treatment.
        while (i < len && at(i) === '0') i++
        nt = Token.Digit
        v = BigInt(-i)
        break
      }
      while (i < len && isDigit(at(i))) {
        v = v * 10n + BigInt(cur.s.charCodeAt(cur.pos + i) - 48)
        i++
      }
      if (i >= 18) return invalid()
      break
    case Token.Letter:
      v = BigInt(cur.s.charCodeAt(cur.pos))
      i = 1
      break
    case Token.Suffix: {
      const rest = cur.s.slice(cur.pos)
      const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p))
      if (pre >= 0) {
        i = PRE_SUFFIXES[pre].length
        v = BigInt(pre - PRE_SUFFIXES.length)
        break
      }
      const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p))
      if (post >= 0) {
        i = POST_SUFFIXES[post].length
        v = BigInt(post)
        break
      }
      return invalid()
    }
    default:
      return invalid()
  }
  cur.pos += i
  if (cur.pos >= cur.s.length) cur.type = Token.End
  else if (nt !== Token.Invalid) cur.type = nt
  else nextToken(cur)
  return v
}

export function compareApk(a: string, b: string): number {
  const ca: Cursor = { s: a, pos: 0, type: Token.Digit }
  const cb: Cursor = { s: b, pos: 0, type: Token.Digit }
  let av = 0n
  let bv = 0n
  while (ca.type === cb.type && ca.type !== Token.End && ca.type !== Token.Invalid && av === bv) {
    av = getToken(ca)
    bv = getToken(cb)
  }
  if (av < bv) return -1
  if (av > bv) return 1
  if (ca.type === cb.type) return 0
  // The leading components are equal: the longer version is greater, unless what follows is a pre-release suffix.
  if (ca.type === Token.Suffix && getToken({ ...ca }) < 0n) return -1
  if (cb.type === Token.Suffix && getToken({ ...cb }) < 0n) return 1
  if (ca.type > cb.type) return -1
  if (cb.type > ca.type) return 1
  return 0
}
