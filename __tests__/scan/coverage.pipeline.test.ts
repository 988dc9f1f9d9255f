/**
 * Coverage through the whole pipeline (lint, build in the real engine, scan, gate): a CentOS 7 image is never a
 * silent clean result. Its gaps fail the gate at `high`; a `coverage` threshold in the config file lets them
 * pass, still reported; the report carries the coverage section the design shows.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createEngine } from '../../src/docker/engine.js'
import { resolveInputs } from '../../src/inputs.js'
import { runPipeline, type Logger } from '../../src/pipeline.js'
import { uniqueName, untag } from '../helpers/testenv.js'
import { UNCOVERED } from './os-releases.js'

const DOCKERFILE = [
  'FROM scratch',
  'COPY root/ /',
  'USER 10001:10001',
  'HEALTHCHECK CMD ["/bin/true"]',
  'CMD ["/bin/true"]',
  ''
].join('\n')

const dirs: string[] = []
const images: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  untag(...images)
})

const quiet: Logger = {
  info: () => undefined,
  warning: () => undefined,
  group: (_name, fn) => fn(),
  untrusted: (fn) => fn(() => undefined)
}

function workspace(config?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'si-cov-ws-'))
  dirs.push(dir)
  writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE)
  for (const [name, text] of Object.entries(UNCOVERED['centos:7'])) {
    mkdirSync(path.join(dir, 'root', path.dirname(name)), { recursive: true })
    writeFileSync(path.join(dir, 'root', name), text)
  }
  mkdirSync(path.join(dir, 'root/var/lib/rpm'), { recursive: true })
  writeFileSync(path.join(dir, 'root/var/lib/rpm/Packages'), Buffer.alloc(16384, 0x5a))
  cpSync(path.resolve('__tests__/fixtures/e2e-osv'), path.join(dir, 'osv'), { recursive: true })
  if (config) {
    mkdirSync(path.join(dir, '.github'))
    writeFileSync(path.join(dir, '.github/secure-image.yml'), config)
  }
  return dir
}

async function run(dir: string) {
  const image = uniqueName('si-cov-centos')
  const inputs = resolveInputs({ image, push: 'false', 'osv-db': 'osv' }, { cwd: dir })
  const result = await runPipeline(
    inputs,
    { eventName: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40) },
    createEngine(),
    quiet,
    { build: true, push: false },
    dir
  )
  images.push(...result.refs)
  return result
}

describe('a CentOS 7 image through the pipeline', () => {
  it('fails the gate on its coverage gaps by default, with the coverage section in the report', async () => {
    const r = await run(workspace())
    const gaps = r.report.findings.filter((f) => f.category === 'coverage')
    expect(gaps.map((f) => [f.ruleId, f.severity, Boolean(f.suppressed)])).toEqual([
      ['SI6001', 'high', false],
      ['SI6002', 'high', false]
    ])
    expect(r.report.coverage).toMatchObject({
      os: { id: 'centos', name: 'CentOS Linux 7 (Core)', covered: false },
      databases: [
        {
          path: expect.stringMatching(/^\/?var\/lib\/rpm\/Packages$/),
          format: 'rpm-bdb',
          packages: 0,
          read: false
        }
      ],
      skipped: [],
      complete: false
    })
    // The OS comes with the FROM line: that is where the annotation goes.
    expect(gaps[0].location).toEqual({ path: 'Dockerfile', startLine: 1 })
    expect(r.report.gate).toMatchObject({ passed: false, failing: 2 })
    expect(r.report.findings.filter((f) => f.category === 'vulnerability')).toEqual([])
  })

  it('passes with a coverage threshold in the config file, and still reports the gaps', async () => {
    const r = await run(workspace('severity-threshold:\n  default: high\n  coverage: critical\n'))
    expect(r.report.findings.filter((f) => f.category === 'coverage').map((f) => f.ruleId)).toEqual([
      'SI6001',
      'SI6002'
    ])
    expect(r.report.gate).toMatchObject({ passed: true, failing: 0 })
    expect(r.report.coverage?.complete).toBe(false)
  })
})
