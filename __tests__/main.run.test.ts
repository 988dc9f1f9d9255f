/** run() with typed jest.fn fixtures for @actions/core, loaded with jest.unstable_mockModule. */
import { describe, it, expect, jest, beforeEach } from '@jest/globals'

describe('run', () => {
  const inputs: Record<string, string> = {}
  const core = {
    getInput: jest.fn<(name: string) => string>((name) => inputs[name] ?? ''),
    setSecret: jest.fn<(secret: string) => void>(),
    setFailed: jest.fn<(message: string) => void>(),
    setOutput: jest.fn<(name: string, value: unknown) => void>(),
    info: jest.fn<(message: string) => void>(),
    warning: jest.fn<(message: string) => void>(),
    notice: jest.fn<(message: string) => void>(),
    debug: jest.fn<(message: string) => void>(),
    isDebug: jest.fn<() => boolean>(() => false),
    group: jest.fn(async <T>(_name: string, fn: () => Promise<T>) => fn())
  }

  beforeEach(() => {
    for (const k of Object.keys(inputs)) delete inputs[k]
    jest.clearAllMocks()
  })

  it('masks the password and token first, then fails once naming a bad input, before any work', async () => {
    jest.unstable_mockModule('@actions/core', () => core)
    const { run } = await import('../src/main.js')
    Object.assign(inputs, {
      password: 's3cret-pw',
      'github-token': 'ghs_token',
      'pull-credentials': 'ghcr.io=bot:ghp_pullPass:with-colon',
      push: 'maybe'
    })
    await run()
    expect(core.setSecret.mock.calls.map((c) => c[0])).toEqual([
      's3cret-pw',
      'ghs_token',
      'ghp_pullPass:with-colon'
    ])
    const firstSecret = core.setSecret.mock.invocationCallOrder[0]
    const nonSecretReads = core.getInput.mock.calls
      .map((c, i) => ({ name: c[0], order: core.getInput.mock.invocationCallOrder[i] }))
      .filter((c) => !['password', 'github-token', 'pull-credentials', 'signing-key'].includes(c.name))
    expect(nonSecretReads.every((c) => c.order > firstSecret)).toBe(true)
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed.mock.calls[0][0]).toBe('input "push" must be auto, true or false (got "maybe")')
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.group).not.toHaveBeenCalled()
  })

  it('masks the signing key, and each of its lines, before anything else runs', async () => {
    jest.unstable_mockModule('@actions/core', () => core)
    const { run } = await import('../src/main.js')
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\nAbCdEfGh012345678\n-----END PRIVATE KEY-----'
    Object.assign(inputs, { 'signing-key': pem, push: 'maybe' })
    await run()
    const masked = core.setSecret.mock.calls.map((c) => c[0])
    expect(masked).toContain(pem)
    expect(masked).toContain('MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg')
    expect(masked).toContain('AbCdEfGh012345678')
    expect(core.setFailed).toHaveBeenCalledTimes(1)
  })
})
