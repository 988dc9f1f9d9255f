/**
 * RPM version ordering: `rpmvercmp` (with `~` sorting before everything and `^` after the base version but before
 * any further segment), applied to epoch, version and release of `[epoch:]version[-release]`.
 */

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c)

/** rpm's `rpmvercmp` on one version or release string. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++

    // Tilde sorts before everything else, even the end of the string.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1
      if (b[j] !== '~') return -1
      i++
      j++
      continue
    }
    // Caret sorts after the end of the string but before any other segment.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1
      if (j >= b.length) return 1
      if (a[i] !== '^') return 1
      if (b[j] !== '^') return -1
      i++
      j++
      continue
    }
    if (!(i < a.length && j < b.length)) break

    let e1 = i
    let e2 = j
    const isnum = isDigit(a[e1])
    if (isnum) {
      while (e1 < a.length && isDigit(a[e1])) e1++
      while (e2 < b.length && isDigit(b[e2])) e2++
    } else {
      while (e1 < a.length && isAlpha(a[e1])) e1++
      while (e2 < b.length && isAlpha(b[e2])) e2++
    }
    if (e1 === i) return -1
    if (e2 === j) return isnum ? 1 : -1

    let s1 = a.slice(i, e1)
    let s2 = b.slice(j, e2)
    if (isnum) {
      s1 = s1.replace(/^0+/, '')
      s2 = s2.replace(/^0+/, '')
      if (s1.length !== s2.length) return s1.length > s2.length ? 1 : -1
    }
    if (s1 !== s2) return s1 < s2 ? -1 : 1
    i = e1
    j = e2
  }
  if (i >= a.length && j >= b.length) return 0
  return i >= a.length ? -1 : 1
}

interface Evr {
  epoch: string
  version: string
  release?: string
}

export function parseEvr(s: string): Evr {
  let epoch = '0'
  let rest = s.trim()
  const colon = rest.indexOf(':')
  if (colon >= 0 && /^\d*$/.test(rest.slice(0, colon))) {
    epoch = rest.slice(0, colon) || '0'
    rest = rest.slice(colon + 1)
  }
  const dash = rest.lastIndexOf('-')
  if (dash >= 0) return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }
  return { epoch, version: rest }
}

/** Epoch, then version, then release; a version without a release sorts before the same version with one. */
export function compareRpm(a: string, b: string): number {
  const ea = parseEvr(a)
  const eb = parseEvr(b)
  const e = rpmvercmp(ea.epoch, eb.epoch)
  if (e) return e
  const v = rpmvercmp(ea.version, eb.version)
  if (v) return v
  if (ea.release === undefined || eb.release === undefined) {
    if (ea.release === eb.release) return 0
    return ea.release === undefined ? -1 : 1
  }
  return rpmvercmp(ea.release, eb.release)
}
