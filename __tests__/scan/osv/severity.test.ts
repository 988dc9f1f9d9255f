import { describe, it, expect } from '@jest/globals'
import { bandScore, scoreVector, severityOf } from '../../../src/scan/severity.js'
import type { OsvRecord } from '../../../src/scan/osv/types.js'

describe('severity', () => {
  it('scores CVSS vectors (NVD-published base scores)', () => {
    // CVE-2021-44228 (Log4Shell): 10.0; CVE-2023-4911: 7.8; CVE-2014-0160 (Heartbleed, 3.1 rescoring): 7.5
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toBe(10)
    expect(scoreVector('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).toBe(7.8)
    expect(scoreVector('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N')).toBe(7.5)
    expect(scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBe(9.3)
    expect(scoreVector('not a vector')).toBeUndefined()
    expect(scoreVector('CVSS:3.1/AV:X')).toBeUndefined()
  })

  it('bands as NVD does', () => {
    expect(bandScore(9.0)).toBe('critical')
    expect(bandScore(8.9)).toBe('high')
    expect(bandScore(7.0)).toBe('high')
    expect(bandScore(6.9)).toBe('medium')
    expect(bandScore(4.0)).toBe('medium')
    expect(bandScore(3.9)).toBe('low')
    expect(bandScore(0.1)).toBe('low')
    expect(bandScore(0)).toBe('info')
  })

  const rec = (extra: Partial<OsvRecord>): OsvRecord => ({ id: 'X', ...extra })

  it('prefers a CVSS v3 vector, then v4, and reports score and vector', () => {
    const r = severityOf(
      rec({
        severity: [
          { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
          { type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }
        ],
        database_specific: { severity: 'LOW' }
      })
    )
    expect(r).toMatchObject({ severity: 'high', cvss: 7.8, unknown: false, from: 'CVSS_V3' })
    expect(r.cvssVector).toBe('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')
    const v4 = severityOf(
      rec({
        severity: [
          { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }
        ]
      })
    )
    expect(v4).toMatchObject({ severity: 'critical', cvss: 9.3, from: 'CVSS_V4' })
  })

  it('takes an affected entry severity over the record one', () => {
    const r = severityOf(
      rec({ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }] }),
      {
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }]
      }
    )
    expect(r.cvss).toBe(7.8)
  })

  it('falls back to GHSA database_specific.severity and Ubuntu priorities', () => {
    expect(severityOf(rec({ database_specific: { severity: 'MODERATE' } }))).toMatchObject({
      severity: 'medium',
      unknown: false
    })
    expect(severityOf(rec({ database_specific: { severity: 'CRITICAL' } })).severity).toBe('critical')
    expect(severityOf(rec({ severity: [{ type: 'Ubuntu', score: 'high' }] }))).toMatchObject({
      severity: 'high',
      from: 'Ubuntu'
    })
    expect(severityOf(rec({ severity: [{ type: 'Ubuntu', score: 'negligible' }] })).severity).toBe('low')
  })

  it("reads Debian's urgency, but not 'not yet assigned'", () => {
    expect(severityOf(rec({}), { ecosystem_specific: { urgency: 'high' } })).toMatchObject({
      severity: 'high',
      from: 'urgency'
    })
    expect(severityOf(rec({}), { ecosystem_specific: { urgency: 'unimportant' } }).severity).toBe('low')
    expect(severityOf(rec({}), { ecosystem_specific: { urgency: 'not yet assigned' } })).toMatchObject({
      severity: 'medium',
      unknown: true
    })
  })

  it('is unknown without score or rating, gated as medium unless configured', () => {
    expect(severityOf(rec({}))).toEqual({ severity: 'medium', unknown: true, from: 'default' })
    expect(severityOf(rec({}), undefined, 'high')).toMatchObject({ severity: 'high', unknown: true })
  })
})
