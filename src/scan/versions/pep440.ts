/**
 * PEP 440 ordering (PyPI) with `@renovatebot/pep440`. Versions that are not PEP 440 (pip's former "legacy"
 * versions) sort below every valid version, as packaging's `LegacyVersion` did, and among themselves by text.
 */
import { compare, valid } from '@renovatebot/pep440'

export function comparePep440(a: string, b: string): number {
  const va = valid(a) !== null
  const vb = valid(b) !== null
  if (va && vb) return Math.sign(compare(a, b))
  if (va) return 1
  if (vb) return -1
  return a < b ? -1 : a > b ? 1 : 0
}
