/**
 * Debian version ordering, as dpkg's `verrevcmp` and `dpkg_version_compare` define it: `[epoch:]upstream[-revision]`,
 * compared epoch first (numerically), then upstream version, then revision. Within a part, runs of non-digits are
 * compared character by character with `~` before everything (even the end), then the end, then letters, then all
 * other characters; runs of digits are compared numerically.
 */

interface DpkgVersion {
  epoch: number
  upstream: string
  revision: string
}

/**
 * Splits a version the way dpkg's `parseversion` does. Invalid versions (a non-numeric epoch, an empty upstream
 * part) are not rejected: dpkg warns and still compares what it parsed, so the parts are kept as they come.
 */
export function parseDpkgVersion(input: string): DpkgVersion {
  const s = input.trim()
  let epoch = 0
  let rest = s
  const colon = s.indexOf(':')
  if (colon >= 0) {
    const e = s.slice(0, colon)
    if (/^\d+$/.test(e)) {
      epoch = Number(e)
      rest = s.slice(colon + 1)
    }
  }
  const dash = rest.lastIndexOf('-')
  if (dash >= 0) return { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) }
  return { epoch, upstream: rest, revision: '' }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

/** dpkg's `order()`: NUL and digits 0, `~` -1, letters their code, anything else its code + 256. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0
  if (isAlpha(c)) return c
  if (c === 126) return -1
  return c + 256
}

/** dpkg's `verrevcmp`. */
export function verrevcmp(a: string, b: string): number {
  let i = 0
  let j = 0
  const at = (s: string, k: number): number => (k < s.length ? s.charCodeAt(k) : NaN)
  while (i < a.length || j < b.length) {
    let firstDiff = 0
    while ((i < a.length && !isDigit(at(a, i))) || (j < b.length && !isDigit(at(b, j)))) {
      const ac = order(at(a, i))
      const bc = order(at(b, j))
      if (ac !== bc) return ac - bc
      i++
      j++
    }
    while (at(a, i) === 48) i++
    while (at(b, j) === 48) j++
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (!firstDiff) firstDiff = at(a, i) - at(b, j)
      i++
      j++
    }
    if (isDigit(at(a, i))) return 1
    if (isDigit(at(b, j))) return -1
    if (firstDiff) return firstDiff
  }
  return 0
}

export function compareDpkg(a: string, b: string): number {
  const va = parseDpkgVersion(a)
  const vb = parseDpkgVersion(b)
  if (va.epoch !== vb.epoch) return va.epoch > vb.epoch ? 1 : -1
  const u = verrevcmp(va.upstream, vb.upstream)
  if (u) return Math.sign(u)
  return Math.sign(verrevcmp(va.revision, vb.revision))
}
