/**
 * Coverage without an engine: the findings of each gap,
 * the gate at `high` by default and the ways to lower it (a `coverage` threshold, an ignore with a reason).
 */
import { describe, expect, it } from '@jest/globals'
import { parseRepoConfig } from '../../src/config.js'
import { evaluateGate, thresholdFor, type Finding } from '../../src/findings.js'
import { assessCoverage, newMatchCoverage } from '../../src/scan/coverage.js'
import { applyIgnores, parseIgnoreFile } from '../../src/scan/ignores.js'
import type { Inventory, InventoryPackage } from '../../src/scan/types.js'

const deb = (name: string, ecosystem: string): InventoryPackage => ({
  type: 'deb',
  name,
  version: '1',
  ecosystem
})

function inventory(over: Partial<Inventory>): Inventory {
  return { packages: [], layers: [], config: {}, ...over }
}

describe('assessCoverage', () => {
  it('an image without OS packages and without an OS has nothing to cover', () => {
    const r = assessCoverage(inventory({}), newMatchCoverage())
    expect(r.findings).toEqual([])
    expect(r.coverage).toEqual({
      databases: [],
      skipped: [],
      ecosystemsWithoutAdvisories: [],
      packages: 0,
      checked: 0,
      complete: true
    })
  })

  it('OS packages without an identified OS are a gap', () => {
    const r = assessCoverage(inventory({ packages: [deb('a', 'unknown')] }), newMatchCoverage())
    expect(r.findings.map((f) => f.message)).toEqual([
      'the OS could not be identified (no /etc/os-release), so none of its 1 OS package was checked'
    ])
  })

  it('a database with an error is unread, whoever filled it in', () => {
    const r = assessCoverage(
      inventory({
        os: { id: 'sles', ecosystem: 'SUSE:Linux Enterprise Server 15 SP5' },
        databases: [
          { path: 'usr/lib/sysimage/rpm/Packages.db', format: 'rpm-ndb', packages: 0, error: 'bad magic' }
        ]
      }),
      newMatchCoverage()
    )
    expect(r.coverage.databases).toEqual([
      {
        path: 'usr/lib/sysimage/rpm/Packages.db',
        format: 'rpm-ndb',
        packages: 0,
        read: false,
        error: 'bad magic'
      }
    ])
    expect(r.findings.map((f) => [f.ruleId, f.message, f.imagePath])).toEqual([
      [
        'SI6002',
        'usr/lib/sysimage/rpm/Packages.db (rpm-ndb) could not be read (bad magic): 0 of its packages were checked',
        '/usr/lib/sysimage/rpm/Packages.db'
      ]
    ])
    expect(r.coverage.complete).toBe(false)
  })

  it('is never complete when matching did not run', () => {
    expect(assessCoverage(inventory({}), undefined).coverage.complete).toBe(false)
  })
})

describe('the gate on coverage gaps', () => {
  const gapFinding: Finding = { category: 'coverage', ruleId: 'SI6001', severity: 'high', message: 'x' }

  it('fails at high by default, whatever the general threshold', () => {
    expect(thresholdFor('high', 'coverage')).toBe('high')
    expect(thresholdFor('critical', 'coverage')).toBe('high')
    expect(thresholdFor({ default: 'critical' }, 'coverage')).toBe('high')
    expect(thresholdFor('medium', 'coverage')).toBe('medium')
    expect(evaluateGate([gapFinding], 'critical').passed).toBe(false)
  })

  it('passes with a coverage threshold from the config file', () => {
    const cfg = parseRepoConfig('severity-threshold:\n  default: high\n  coverage: critical\n', 'c.yml')
    expect(cfg.severityThreshold).toEqual({ default: 'high', coverage: 'critical' })
    expect(evaluateGate([gapFinding], cfg.severityThreshold!).passed).toBe(true)
    expect(() => parseRepoConfig('severity-threshold:\n  coverage: none\n', 'c.yml')).toThrow(
      /c\.yml:1: severity-threshold/
    )
  })

  it('an ignore entry silences a gap only with a reason', () => {
    const bare = applyIgnores([gapFinding], parseIgnoreFile('SI6001\n', '.secure-image-ignore'))
    expect(bare.findings[0].suppressed).toBeUndefined()
    expect(bare.warnings).toEqual([
      'ignore entry SI6001 in .secure-image-ignore does not apply to the coverage finding SI6001: it has no reason; a coverage gap is only ignored with one'
    ])
    expect(evaluateGate(bare.findings, 'high').passed).toBe(false)

    const withReason = applyIgnores(
      [gapFinding],
      parseIgnoreFile('SI6001 # CentOS 7 base accepted until the migration\n', '.secure-image-ignore')
    )
    expect(withReason.findings[0].suppressed).toEqual({
      source: '.secure-image-ignore',
      reason: 'CentOS 7 base accepted until the migration'
    })
    expect(evaluateGate(withReason.findings, 'high').passed).toBe(true)
  })
})
