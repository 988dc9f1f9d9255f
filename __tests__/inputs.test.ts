import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import {
  CONFIG_SETTABLE,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  declaredDefault,
  resolveInputs,
  parseKeyValueLines
} from '../src/inputs.js'

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}
const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml

describe('action.yml is the contract', () => {
  it('declares every input the code reads, each with a description and the same default', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort())
    for (const name of INPUT_NAMES) {
      expect(action.inputs[name].description.length).toBeGreaterThan(10)
      expect(action.inputs[name].default).toBe(declaredDefault(name))
    }
  })

  it('declares an empty default for every input the config file can set, and names the real default', () => {
    for (const name of CONFIG_SETTABLE) {
      expect(action.inputs[name].default).toBe('')
      expect(action.inputs[name].description).toContain(`\`${INPUT_DEFAULTS[name]}\``)
    }
    expect(action.inputs['severity-threshold'].default).toBe('')
    expect(action.inputs['scan-failure'].default).toBe('')
  })

  it('has the outputs and runs on node24 from dist/', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      [
        'digest',
        'findings',
        'gate',
        'image-id',
        'pushed',
        'report',
        'sarif',
        'sbom',
        'tags',
        'signature',
        'attestations',
        'verified'
      ].sort()
    )
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.cjs' })
  })

  it('names the inputs that the issue contract lists', () => {
    for (const name of [
      'context',
      'dockerfile',
      'image',
      'tags',
      'build-args',
      'target',
      'labels',
      'registry',
      'username',
      'password',
      'push',
      'allowed-registries',
      'require-digest',
      'severity-threshold',
      'ignore-unfixed',
      'osv-db',
      'osv-api-url',
      'config',
      'github-token',
      'comment',
      'annotations',
      'sarif-file',
      'sbom-file'
    ]) {
      expect(action.inputs).toHaveProperty([name])
    }
    expect(INPUT_DEFAULTS['allowed-registries']).toBe('docker.io/library')
    expect(action.inputs['osv-api-url'].default).toBe('https://api.osv.dev')
    expect(action.inputs.push.default).toBe('auto')
  })
})

describe('resolveInputs', () => {
  let dir: string
  const cwd = process.cwd()
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'si-inputs-'))
  })
  afterEach(() => process.chdir(cwd))

  it('applies the defaults', () => {
    const i = resolveInputs({}, { cwd: dir })
    expect(i.context).toBe('.')
    expect(i.dockerfile).toBe('Dockerfile')
    expect(i['allowed-registries']).toEqual(['docker.io/library'])
    expect(i['severity-threshold']).toBe('high')
    expect(i.push).toBe('auto')
    expect(i.comment).toBe(true)
    expect(i['require-digest']).toBe(false)
  })

  it('puts the Dockerfile in the context by default', () => {
    expect(resolveInputs({ context: 'app' }, { cwd: dir }).dockerfile).toBe('app/Dockerfile')
    expect(resolveInputs({ context: 'app', dockerfile: 'x/Dockerfile.prod' }, { cwd: dir }).dockerfile).toBe(
      'x/Dockerfile.prod'
    )
  })

  it.each([
    [{ 'severity-threshold': 'urgent' }, /severity-threshold.*urgent/],
    [{ 'coverage-threshold': 'never' }, /"coverage-threshold" must be one of .*never/],
    [{ push: 'maybe' }, /"push".*maybe/],
    [{ 'build-args': 'A=1\nnot a pair' }, /"build-args" line 2/],
    [{ 'require-digest': 'yes' }, /"require-digest" must be true or false/],
    [{ 'osv-api-url': 'ftp://x' }, /osv-api-url/],
    [{ builder: 'kaniko' }, /"builder"/],
    [{ 'smoke-test-seconds': '0' }, /smoke-test-seconds/],
    [{ 'allowed-registries': ' , ' }, /allowed-registries/]
  ])('rejects %j naming the input', (raw, message) => {
    expect(() => resolveInputs(raw, { cwd: dir })).toThrow(message)
  })

  it('folds coverage-threshold into the thresholds, over the general one and the file', () => {
    expect(resolveInputs({}, { cwd: dir })['severity-threshold']).toBe('high')
    expect(resolveInputs({ 'coverage-threshold': 'Critical' }, { cwd: dir })['severity-threshold']).toEqual({
      default: 'high',
      coverage: 'critical'
    })
    mkdirSync(path.join(dir, '.github'), { recursive: true })
    writeFileSync(
      path.join(dir, '.github/secure-image.yml'),
      'severity-threshold:\n  vulnerability: critical\n  coverage: high\n'
    )
    expect(resolveInputs({ 'coverage-threshold': 'critical' }, { cwd: dir })['severity-threshold']).toEqual({
      vulnerability: 'critical',
      coverage: 'critical'
    })
  })

  it('reads baseline, fail-on, matrix and annotations: all', () => {
    const d = resolveInputs({}, { cwd: dir })
    expect([d.baseline, d['fail-on'], d.matrix, d.annotations, d['annotations-scope']]).toEqual([
      'auto',
      'all',
      '',
      true,
      'new'
    ])
    const i = resolveInputs(
      {
        baseline: 'ghcr.io/acme/app:main',
        'fail-on': 'NEW',
        matrix: '{ "variant": "slim", "os": "linux" }',
        annotations: 'all'
      },
      { cwd: dir }
    )
    expect(i.baseline).toBe('ghcr.io/acme/app:main')
    expect(i['fail-on']).toBe('new')
    expect(i.matrix).toBe('{"os":"linux","variant":"slim"}')
    expect([i.annotations, i['annotations-scope']]).toEqual([true, 'all'])
    expect(resolveInputs({ baseline: 'None', matrix: 'null' }, { cwd: dir })).toMatchObject({
      baseline: 'none',
      matrix: ''
    })
    expect(resolveInputs({ annotations: 'false' }, { cwd: dir }).annotations).toBe(false)
  })

  it.each([
    [{ baseline: 'Not/A Ref' }, /input "baseline" must be auto, none or an image reference/],
    [{ 'fail-on': 'critical' }, /input "fail-on" must be all or new \(got "critical"\)/],
    [{ matrix: '[1,2]' }, /input "matrix" must be a JSON object/],
    [{ matrix: '{oops' }, /input "matrix" must be a JSON object/],
    [{ annotations: 'some' }, /input "annotations" must be true, false or all \(got "some"\)/]
  ])('rejects %j naming the input', (raw, message) => {
    expect(() => resolveInputs(raw, { cwd: dir })).toThrow(message)
  })

  it('parses build-args lines and keeps = in values', () => {
    expect(parseKeyValueLines('build-args', 'A=1\n\n# c\nB=x=y\n')).toEqual({ A: '1', B: 'x=y' })
  })

  it('gives an explicit input precedence over the config file, and the file over the defaults', () => {
    mkdirSync(path.join(dir, '.github'))
    writeFileSync(
      path.join(dir, '.github/secure-image.yml'),
      'allowed-registries: [ghcr.io/acme]\nseverity-threshold: critical\nrequire-digest: true\n'
    )
    const fromFile = resolveInputs({}, { cwd: dir })
    expect(fromFile['allowed-registries']).toEqual(['ghcr.io/acme'])
    expect(fromFile['severity-threshold']).toBe('critical')
    expect(fromFile['require-digest']).toBe(true)
    const explicit = resolveInputs(
      { 'allowed-registries': 'docker.io', 'severity-threshold': 'low' },
      { cwd: dir }
    )
    expect(explicit['allowed-registries']).toEqual(['docker.io'])
    expect(explicit['severity-threshold']).toBe('low')
    expect(explicit['require-digest']).toBe(true)
  })

  it('fails when an explicitly named config file is missing, but not the default one', () => {
    expect(() => resolveInputs({ config: 'nope.yml' }, { cwd: dir })).toThrow(/nope\.yml does not exist/)
    expect(() => resolveInputs({}, { cwd: dir })).not.toThrow()
  })
})
