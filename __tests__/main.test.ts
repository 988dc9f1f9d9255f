/** getInputs() from INPUT_* variables, through the real @actions/core; process.env is restored after each test. */
import { describe, it, expect, afterEach } from '@jest/globals'

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
    process.env['INPUT_CONFIG'] = '.github/secure-image.yml'
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
})
