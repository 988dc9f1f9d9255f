import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findHadolintConfig, loadHadolintConfig, parseHadolintConfig } from '../../src/lint/config.js'
import { lintText } from './helpers.js'

const FULL = `
ignored:
  - DL3008
  - dl3015
override:
  error:
    - DL3059
  info:
    - DL3007
failure-threshold: warning
trustedRegistries:
  - docker.io
  - my-company.com:5000
label-schema:
  author: text
  contact: email
  created: rfc3339
strict-labels: true
no-color: true
`

describe('parseHadolintConfig', () => {
  it('reads every hadolint key', () => {
    const c = parseHadolintConfig(FULL, '.hadolint.yaml')
    expect(c.ignored).toEqual(['DL3008', 'DL3015'])
    expect(c.override.error).toEqual(['DL3059'])
    expect(c.override.info).toEqual(['DL3007'])
    expect(c.failureThreshold).toBe('medium')
    expect(c.trustedRegistries).toEqual(['docker.io', 'my-company.com:5000'])
    expect(c.labelSchema).toEqual({ author: 'text', contact: 'email', created: 'rfc3339' })
    expect(c.strictLabels).toBe(true)
  })

  it('maps failure-threshold none/ignore to a threshold lint never reaches', () => {
    expect(parseHadolintConfig('failure-threshold: none', 'f').failureThreshold).toBe('critical')
    expect(parseHadolintConfig('failure-threshold: style', 'f').failureThreshold).toBe('info')
  })

  it('gives defaults for an empty file', () => {
    const c = parseHadolintConfig('', 'f')
    expect(c).toEqual({
      ignored: [],
      override: { error: [], warning: [], info: [], style: [] },
      trustedRegistries: [],
      labelSchema: {},
      strictLabels: false
    })
  })

  it('rejects an unknown key, naming the key and the file', () => {
    expect(() => parseHadolintConfig('ignore:\n  - DL3008\n', 'ci/.hadolint.yaml')).toThrow(
      /ci\/\.hadolint\.yaml.*'ignore'.*unknown key/
    )
    expect(() => parseHadolintConfig('override:\n  fatal: [DL3008]\n', 'x.yml')).toThrow(
      /x\.yml.*'override\.fatal'/
    )
  })

  it('rejects a value of the wrong type, naming the key', () => {
    expect(() => parseHadolintConfig('strict-labels: "yes"\n', 'a.yaml')).toThrow(/a\.yaml.*'strict-labels'/)
    expect(() => parseHadolintConfig('label-schema:\n  author: number\n', 'a.yaml')).toThrow(
      /'label-schema\.author'/
    )
    expect(() => parseHadolintConfig('failure-threshold: fatal\n', 'a.yaml')).toThrow(/'failure-threshold'/)
  })

  it('rejects text that is not YAML', () => {
    expect(() => parseHadolintConfig('ignored: [DL3008\n', 'b.yaml')).toThrow(/b\.yaml: not valid YAML/)
  })

  it('drives the rules: ignored, override, trustedRegistries, label-schema, strict-labels', async () => {
    const config = parseHadolintConfig(FULL, '.hadolint.yaml')
    const fs = await lintText(
      'FROM quay.io/x/y:latest\nLABEL author=me contact=nobody extra=1\nRUN apt-get install -y curl\nRUN b\n',
      { config }
    )
    const by = (id: string): (typeof fs)[number] | undefined => fs.find((f) => f.ruleId === id)
    expect(by('DL3008')?.suppressed?.source).toBe('.hadolint.yaml')
    expect(by('DL3059')?.severity).toBe('high')
    expect(by('DL3007')?.severity).toBe('low')
    expect(by('DL3026')?.location?.startLine).toBe(1)
    expect(by('DL3058')?.location?.startLine).toBe(2)
    expect(by('DL3049')?.message).toMatch(/created/)
    expect(by('DL3050')?.message).toMatch(/extra/)
  })
})

describe('findHadolintConfig / loadHadolintConfig', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'si-hadolint-'))
    mkdirSync(join(root, 'ctx'))
    mkdirSync(join(root, 'empty'))
    writeFileSync(join(root, '.hadolint.yml'), 'ignored: [DL3006]\n')
    writeFileSync(join(root, 'ctx', '.hadolint.yaml'), 'ignored: [DL3007]\n')
    writeFileSync(join(root, 'ctx', '.hadolint.yml'), 'ignored: [DL3008]\n')
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('looks in each directory in order, .yaml before .yml', () => {
    expect(findHadolintConfig([join(root, 'ctx'), root])).toBe(join(root, 'ctx', '.hadolint.yaml'))
    expect(findHadolintConfig([join(root, 'empty'), root])).toBe(join(root, '.hadolint.yml'))
    expect(findHadolintConfig([join(root, 'empty')])).toBeUndefined()
  })

  it('loads and validates the file, and names a missing one', () => {
    expect(loadHadolintConfig(join(root, '.hadolint.yml')).ignored).toEqual(['DL3006'])
    expect(() => loadHadolintConfig(join(root, 'nope.yaml'))).toThrow(
      /cannot read the hadolint config .*nope\.yaml: ENOENT/
    )
  })
})
