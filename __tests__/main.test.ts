/** getInputs() from INPUT_* variables, through the real @actions/core; process.env is restored after each test. */
import { describe, it, expect, afterEach, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

/** Sets the INPUT_* variables as the runner does: every input of action.yml, with its declared default. */
function runnerInputs(given: Record<string, string>): void {
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  for (const [name, spec] of Object.entries(action.inputs)) {
    process.env[`INPUT_${name.toUpperCase()}`] = given[name] ?? spec.default ?? ''
  }
}

function workspaceWithConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'si-main-'))
  mkdirSync(join(dir, '.github'))
  writeFileSync(join(dir, '.github/secure-image.yml'), yaml)
  return dir
}

const ORIGINAL_ENV = { ...process.env }

describe('getInputs', () => {
  afterEach(() => {
    process.env = { ...ORIGINAL_ENV }
  })

  it('reads INPUT_* variables into one typed Inputs object', async () => {
    process.env['INPUT_IMAGE'] = 'ghcr.io/acme/app'
    process.env['INPUT_TAGS'] = '1.0\nlatest'
    process.env['INPUT_BUILD-ARGS'] = 'A=1\nB=two'
    process.env['INPUT_PUSH'] = 'true'
    process.env['INPUT_SEVERITY-THRESHOLD'] = 'critical'
    process.env['INPUT_ALLOWED-REGISTRIES'] = 'docker.io/library, ghcr.io/acme'
    process.env['GITHUB_WORKSPACE'] = process.cwd()
    const { getInputs } = await import('../src/main.js')
    const inputs = getInputs()
    expect(inputs.image).toBe('ghcr.io/acme/app')
    expect(inputs.tags).toEqual(['1.0', 'latest'])
    expect(inputs['build-args']).toEqual({ A: '1', B: 'two' })
    expect(inputs.push).toBe('true')
    expect(inputs['severity-threshold']).toBe('critical')
    expect(inputs['allowed-registries']).toEqual(['docker.io/library', 'ghcr.io/acme'])
  })

  const LOOSE =
    'severity-threshold: critical\nscan-failure: warn\nrequire-digest: false\nallowed-registries: "*"\n'

  it('keeps what the workflow set explicitly, even when it equals the default, over a looser config file', async () => {
    process.env['GITHUB_WORKSPACE'] = workspaceWithConfig(LOOSE)
    runnerInputs({
      'severity-threshold': 'high',
      'scan-failure': 'fail',
      'allowed-registries': 'docker.io/library',
      'require-digest': 'true'
    })
    const { getInputs } = await import('../src/main.js')
    const inputs = getInputs()
    expect(inputs['severity-threshold']).toBe('high')
    expect(inputs['scan-failure']).toBe('fail')
    expect(inputs['allowed-registries']).toEqual(['docker.io/library'])
    expect(inputs['require-digest']).toBe(true)
  })

  it('lets the config file fill in what the workflow left empty, and applies the defaults after it', async () => {
    process.env['GITHUB_WORKSPACE'] = workspaceWithConfig(LOOSE)
    runnerInputs({})
    const { getInputs } = await import('../src/main.js')
    const inputs = getInputs()
    expect(inputs['severity-threshold']).toBe('critical')
    expect(inputs['scan-failure']).toBe('warn')
    expect(inputs['allowed-registries']).toEqual(['*'])

    process.env['GITHUB_WORKSPACE'] = mkdtempSync(join(tmpdir(), 'si-main-'))
    const defaults = getInputs()
    expect(defaults['severity-threshold']).toBe('high')
    expect(defaults['scan-failure']).toBe('fail')
    expect(defaults['allowed-registries']).toEqual(['docker.io/library'])
    expect(defaults['require-digest']).toBe(false)
    expect(defaults['smoke-test-seconds']).toBe(10)
  })

  it('masks the build-arg values whose key or value looks like a credential, and only those', async () => {
    process.env['GITHUB_WORKSPACE'] = mkdtempSync(join(tmpdir(), 'si-main-'))
    runnerInputs({
      'build-args': 'NPM_TOKEN=npm_abcdefghijklmnop\nMODE=production\nX=ghp_' + 'a'.repeat(36),
      'github-token': ''
    })
    const out: string[] = []
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk))
      return true
    })
    try {
      const { getInputs } = await import('../src/main.js')
      getInputs()
    } finally {
      spy.mockRestore()
    }
    const masks = out
      .join('')
      .split(/\r?\n/)
      .filter((l) => l.startsWith('::add-mask::'))
    expect(masks).toEqual(['::add-mask::npm_abcdefghijklmnop', `::add-mask::ghp_${'a'.repeat(36)}`])
  })
})
