/**
 * run() on a push event with no `image` and `push: auto`, against the real engine: action.yml says an empty
 * `image` builds a local image, so the run builds, scans and gates as usual, pushes nothing, and says so in a
 * notice. @actions/core is a jest.fn fixture (the GitHub side); the engine is real.
 */
import { describe, it, expect, jest, afterAll } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { workspace, OSV_FIXTURES, GOOD_DOCKERFILE } from './helpers/e2e.js'
import { docker, uniqueName, untag } from './helpers/testenv.js'

const ORIGINAL_ENV = { ...process.env }
const repository = `acme/${uniqueName('local-only')}`

afterAll(() => {
  process.env = { ...ORIGINAL_ENV }
  for (const line of docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository]).split('\n'))
    if (line.trim()) untag(line.trim())
})

describe('run on a push event without an image', () => {
  it('builds and gates as usual, pushes nothing, and gives a notice', async () => {
    const ws = workspace({ dockerfile: GOOD_DOCKERFILE })
    const tmp = mkdtempSync(join(tmpdir(), 'si-main-push-'))
    writeFileSync(join(tmp, 'event.json'), '{}')
    Object.assign(process.env, {
      GITHUB_WORKSPACE: ws,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: join(tmp, 'event.json'),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'f00dfacef00dfacef00dfacef00dfacef00dface',
      GITHUB_REPOSITORY: repository,
      RUNNER_TEMP: tmp
    })
    const inputs: Record<string, string> = { 'osv-db': OSV_FIXTURES, push: 'auto', comment: 'false' }
    const core = {
      getInput: jest.fn<(name: string) => string>((name) => inputs[name] ?? ''),
      setSecret: jest.fn<(secret: string) => void>(),
      setFailed: jest.fn<(message: string) => void>(),
      setOutput: jest.fn<(name: string, value: unknown) => void>(),
      info: jest.fn<(message: string) => void>(),
      warning: jest.fn<(message: string) => void>(),
      notice: jest.fn<(message: string) => void>(),
      error: jest.fn<(message: string) => void>(),
      debug: jest.fn<(message: string) => void>(),
      isDebug: jest.fn<() => boolean>(() => false),
      summary: { addRaw: () => ({ write: async () => undefined }) },
      group: jest.fn(async <T>(_name: string, fn: () => Promise<T>) => fn())
    }
    jest.unstable_mockModule('@actions/core', () => core)
    const { run } = await import('../src/main.js')
    await run()
    const outputs = Object.fromEntries(core.setOutput.mock.calls.map((c) => [c[0], c[1]]))
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs.gate).toBe('passed')
    expect(outputs.pushed).toBe('false')
    expect(outputs['image-id']).toMatch(/^sha256:/)
    expect(core.notice.mock.calls.map((c) => c[0]).join('\n')).toMatch(/no push: no "image".*not pushed/)
  }, 180_000)
})
