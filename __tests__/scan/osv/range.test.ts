import { describe, it, expect } from '@jest/globals'
import { evaluateAffected, evaluateRange } from '../../../src/scan/osv/range.js'
import type { OsvAffected, OsvEvent } from '../../../src/scan/osv/types.js'
import { compareDpkg, compareSemver } from '../../../src/scan/versions/index.js'

const semverRange = (events: OsvEvent[]) => ({ type: 'SEMVER', events })
const affectedBy = (v: string, events: OsvEvent[]): boolean =>
  evaluateRange(v, semverRange(events), compareSemver).affected

describe('OSV range evaluation', () => {
  it('introduced/fixed: [introduced, fixed)', () => {
    const ev = [{ introduced: '1.0.0' }, { fixed: '1.2.0' }]
    expect(affectedBy('0.9.0', ev)).toBe(false)
    expect(affectedBy('1.0.0', ev)).toBe(true)
    expect(affectedBy('1.1.9', ev)).toBe(true)
    expect(affectedBy('1.2.0', ev)).toBe(false)
    expect(affectedBy('2.0.0', ev)).toBe(false)
    expect(evaluateRange('1.1.0', semverRange(ev), compareSemver).fixed).toBe('1.2.0')
  })

  it('introduced 0 means every version before the fix', () => {
    expect(affectedBy('0.0.1', [{ introduced: '0' }, { fixed: '1.0.0' }])).toBe(true)
    expect(affectedBy('0.0.0-alpha', [{ introduced: '0' }])).toBe(true)
  })

  it('last_affected: [introduced, last_affected], no fixed version', () => {
    const ev = [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }]
    expect(affectedBy('1.4.0', ev)).toBe(true)
    expect(affectedBy('1.4.1', ev)).toBe(false)
    expect(evaluateRange('1.4.0', semverRange(ev), compareSemver).fixed).toBeUndefined()
  })

  it('several introduced/fixed pairs in one range, given out of order', () => {
    // The schema example: events are sorted by version before evaluation.
    const ev = [{ fixed: '1.0.5' }, { introduced: '2.0.0' }, { introduced: '1.0.0' }, { fixed: '2.0.3' }]
    expect(affectedBy('0.9.0', ev)).toBe(false)
    expect(affectedBy('1.0.4', ev)).toBe(true)
    expect(affectedBy('1.0.5', ev)).toBe(false)
    expect(affectedBy('1.5.0', ev)).toBe(false)
    expect(affectedBy('2.0.2', ev)).toBe(true)
    expect(evaluateRange('2.0.2', semverRange(ev), compareSemver).fixed).toBe('2.0.3')
    expect(affectedBy('2.0.3', ev)).toBe(false)
  })

  it('limit bounds the range from above', () => {
    const ev = [{ introduced: '0' }, { limit: '1.5.0' }]
    expect(affectedBy('1.4.9', ev)).toBe(true)
    expect(affectedBy('1.5.0', ev)).toBe(false)
    expect(affectedBy('9.0.0', [{ introduced: '0' }, { limit: '*' }])).toBe(true)
  })

  it('orders ECOSYSTEM ranges with the ecosystem comparator', () => {
    const r = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:2.66-4+deb12u4' }] }
    expect(evaluateRange('1:2.66-4+deb12u3', r, compareDpkg).affected).toBe(true)
    expect(evaluateRange('1:2.66-4+deb12u4', r, compareDpkg).affected).toBe(false)
    const tilde = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '252.39-1' }] }
    expect(evaluateRange('252.39-1~deb12u2', tilde, compareDpkg).affected).toBe(true)
  })
})

describe('evaluateAffected', () => {
  const pkg = { ecosystem: 'PyPI', name: 'jinja2' }
  it('matches an explicit versions list when no range does', () => {
    const a: OsvAffected = { package: pkg, versions: ['2.11.2', '2.11.3'] }
    expect(evaluateAffected('2.11.3', a, 'PyPI')).toEqual({ affected: true })
    expect(evaluateAffected('2.11.4', a, 'PyPI').affected).toBe(false)
  })
  it('ignores GIT ranges', () => {
    const a: OsvAffected = {
      package: pkg,
      ranges: [{ type: 'GIT', repo: 'x', events: [{ introduced: '0' }] }]
    }
    expect(evaluateAffected('1.0', a, 'PyPI').affected).toBe(false)
  })
  it('reports the lowest fix of several matching ranges, and none when one has no fix', () => {
    const a: OsvAffected = {
      package: pkg,
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '3.0.1' }] }
      ]
    }
    expect(evaluateAffected('2.5', a, 'PyPI')).toEqual({ affected: true, fixed: '3.0.1' })
    expect(evaluateAffected('3.0.2', a, 'PyPI')).toEqual({ affected: true, fixed: '3.1.4' })
    a.ranges?.push({ type: 'ECOSYSTEM', events: [{ introduced: '3.0' }] })
    expect(evaluateAffected('3.0.2', a, 'PyPI')).toEqual({ affected: true })
  })
  it('uses the PEP 440 order for PyPI ECOSYSTEM ranges', () => {
    const a: OsvAffected = {
      package: pkg,
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4' }] }]
    }
    expect(evaluateAffected('3.1.4rc1', a, 'PyPI').affected).toBe(true)
    expect(evaluateAffected('3.1.4.post1', a, 'PyPI').affected).toBe(false)
  })
})
