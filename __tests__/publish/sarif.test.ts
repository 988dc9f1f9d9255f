import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import type { Log } from 'sarif'
import { securitySeverity, toSarif } from '../../src/publish/sarif.js'
import { lint, report, vuln } from './make.js'

const schema = JSON.parse(
  readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8')
) as object
const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true })
;(addFormats as unknown as (a: Ajv) => void)(ajv)
const validate = ajv.compile(schema)

function sample(): ReturnType<typeof report> {
  const r = report([
    lint(3),
    lint(7),
    lint(9, {
      ruleId: 'DL3006',
      severity: 'low',
      message: 'Always tag the version of an image explicitly.',
      help: undefined
    }),
    vuln('CVE-2024-1', {
      severity: 'high',
      vulnerability: { id: 'CVE-2024-1', aliases: ['GHSA-xxxx'], cvss: 7.5, fixedVersion: '2' }
    }),
    vuln('CVE-2024-1', {
      severity: 'high',
      package: { name: 'libbar', version: '3', ecosystem: 'Debian:12' }
    }),
    vuln('DEBIAN-CVE-2024-2', {
      severity: 'low',
      vulnerability: { id: 'DEBIAN-CVE-2024-2', aliases: [], cvss: 9.8 }, // rated low by the distribution
      suppressed: { source: 'pragma', reason: 'accepted' }
    }),
    {
      category: 'secret',
      ruleId: 'SI3001',
      severity: 'critical',
      message: 'An AWS access key is stored in the image.',
      imagePath: '/app/.env'
    }
  ])
  r.gate.errors = ['the OSV database could not be read']
  return r
}

describe('toSarif', () => {
  it('is valid SARIF 2.1.0', () => {
    const log = toSarif(sample(), { category: 'secure-image/ghcr.io/octo/app', dockerfilePath: 'Dockerfile' })
    const ok = validate(log)
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('the schema rejects what SARIF forbids (the check can fail)', () => {
    const log = toSarif(sample(), { category: 'x' }) as Log & Record<string, unknown>
    expect(validate({ ...log, version: '2.0.0' })).toBe(false)
    const bad = JSON.parse(JSON.stringify(log)) as Log
    ;(bad.runs[0].results![0].locations![0].physicalLocation!.region as { startLine: number }).startLine = 0
    expect(validate(bad)).toBe(false)
  })

  it('has one rule per id with help text, and security-severity for vulnerabilities', () => {
    const log = toSarif(sample(), { category: 'img' })
    const rules = log.runs[0].tool.driver.rules!
    expect(rules.map((r) => r.id)).toEqual(['DL3008', 'DL3006', 'CVE-2024-1', 'DEBIAN-CVE-2024-2', 'SI3001'])
    const dl = rules[0]
    expect(dl.help?.text).toBe('Use `apt-get install <package>=<version>`.')
    expect(dl.helpUri).toBe('https://github.com/hadolint/hadolint/wiki/DL3008')
    expect(dl.properties?.['security-severity']).toBeUndefined()
    const cve = rules[2]
    expect(cve.properties?.['security-severity']).toBe('7.5')
    expect(cve.properties?.tags).toContain('security')
    expect(cve.help?.text).toContain('Also known as: GHSA-xxxx.')
    expect(cve.helpUri).toBe('https://osv.dev/vulnerability/CVE-2024-1')
    // A CVSS of 9.8 on a finding the distribution rated low: the band value, so code scanning agrees with the gate.
    expect(rules[3].properties?.['security-severity']).toBe('2.0')
  })

  it('has results with rule indexes, levels, locations, fingerprints and suppressions', () => {
    const log = toSarif(sample(), { category: 'img', dockerfilePath: 'Dockerfile' })
    const results = log.runs[0].results!
    expect(results).toHaveLength(7)
    expect(results[0]).toMatchObject({
      ruleId: 'DL3008',
      ruleIndex: 0,
      level: 'warning',
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 3, endLine: 3 } }
        }
      ]
    })
    expect(results[4].ruleIndex).toBe(2)
    expect(results[5].suppressions).toEqual([{ kind: 'inSource', justification: 'pragma: accepted' }])
    expect(results[6].level).toBe('error')
    expect(results[6].locations![0].logicalLocations).toEqual([
      { fullyQualifiedName: '/app/.env', kind: 'resource' }
    ])
    expect(results[6].locations![0].physicalLocation?.region?.startLine).toBe(1)
    const fps = results.map((r) => r.partialFingerprints!['secureImage/v1'])
    expect(new Set(fps).size).toBe(7)
  })

  it('sets a per-image automationDetails.id category', () => {
    const a = toSarif(sample(), { category: 'secure-image/app-a' })
    const b = toSarif(sample(), { category: 'secure-image/app-b/' })
    expect(a.runs[0].automationDetails?.id).toBe('secure-image/app-a/')
    expect(b.runs[0].automationDetails?.id).toBe('secure-image/app-b/')
  })

  it('reports checks that could not run as tool notifications', () => {
    const inv = toSarif(sample(), { category: 'x' }).runs[0].invocations![0]
    expect(inv.executionSuccessful).toBe(false)
    expect(inv.toolExecutionNotifications?.[0].message.text).toBe('the OSV database could not be read')
  })
})

describe('securitySeverity', () => {
  it('uses the CVSS score in the band, else the band value', () => {
    expect(
      securitySeverity(
        vuln('a', { severity: 'critical', vulnerability: { id: 'a', aliases: [], cvss: 9.1 } })
      )
    ).toBe('9.1')
    expect(
      securitySeverity(vuln('a', { severity: 'critical', vulnerability: { id: 'a', aliases: [] } }))
    ).toBe('9.5')
    expect(
      securitySeverity(vuln('a', { severity: 'medium', vulnerability: { id: 'a', aliases: [], cvss: 8.1 } }))
    ).toBe('5.5')
  })
})
