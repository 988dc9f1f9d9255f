/**
 * Fault injection: the failures real pipelines meet, each run through the bundled action against the real
 * engine and registry. Every outcome is a clear error or a documented warning; the gate fails closed where a
 * check could not run; `pushed` is never true without a digest read back; no secret reaches any output.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { runAction, expectExit, pullRequestEvent, pushEvent, type RunResult } from '../helpers/runner.js'
import { testEnv, uniqueName, docker, untag } from '../helpers/testenv.js'
import { registryDigest, registryTags } from '../helpers/registry.js'
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js'
import { dyingEngineSocket, flakyRegistry, silentServer, deadPort } from '../helpers/faults.js'
import {
  workspace,
  repoFor,
  credentials,
  expectNoSecrets,
  annotationsAt,
  OSV_FIXTURES,
  GOOD_DOCKERFILE,
  VULNERABLE_DOCKERFILE
} from '../helpers/e2e.js'

const env = testEnv()
const TOKEN = 'ghs_faultTokenThatMustNeverBeLogged01234567'
let server: GitHubServer
const images: string[] = []

beforeAll(async () => {
  server = await startGitHubServer()
})
afterAll(async () => {
  await server.close()
  untag(...images)
})

/** The names the run gave its image (the `tags` output), to untag afterwards. */
function tagsOf(r: RunResult): string[] {
  return (r.outputs.tags ?? '').split('\n').filter(Boolean)
}

function errorLine(r: RunResult): string {
  const m = /^::error::(.*)$/m.exec(r.stdout)
  return m ? m[1] : ''
}

function expectNothingClaimed(r: RunResult): void {
  expect(r.outputs.pushed ?? 'false').toBe('false')
  expect(r.outputs.digest ?? '').toBe('')
  expectNoSecrets(r, [env.password, TOKEN], server.requests)
  // no stack trace reaches the user
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/)
}

const push = pushEvent('refs/heads/main')

describe('fault injection', () => {
  it('the engine socket is missing: a clear error, the gate fails closed', async () => {
    server.reset()
    const { image } = repoFor(uniqueName('nosock'))
    const r = await runAction({
      workspace: workspace(),
      inputs: { image, 'osv-db': OSV_FIXTURES, ...credentials() },
      event: push,
      apiUrl: server.url,
      token: TOKEN,
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }
    })
    expectExit(r, 1)
    expect(r.outputs.gate).toBe('failed')
    expect(errorLine(r)).toMatch(/cannot reach the Docker engine/i)
    expect(errorLine(r)).toContain('/nonexistent/docker.sock')
    expectNothingClaimed(r)
  })

  it('the engine dies mid-build: the build error is reported and nothing is pushed', async () => {
    server.reset()
    const dying = await dyingEngineSocket()
    try {
      const { repo, image } = repoFor(uniqueName('dying'))
      const r = await runAction({
        workspace: workspace({
          dockerfile:
            'FROM busybox:stable\nRUN for i in $(seq 1 30); do echo step $i; sleep 0.1; done\nUSER 10001\nCMD ["true"]\n'
        }),
        inputs: { image, 'osv-db': OSV_FIXTURES, 'no-cache': 'true', ...credentials() },
        event: push,
        apiUrl: server.url,
        token: TOKEN,
        env: { DOCKER_HOST: dying.dockerHost }
      })
      expectExit(r, 1)
      expect(r.outputs.gate).toBe('failed')
      expect(errorLine(r)).toMatch(/build/i)
      expect(await registryTags(env, repo)).toEqual([])
      expectNothingClaimed(r)
    } finally {
      await dying.close()
    }
  })

  it('the registry is down: bounded retries, then a clear error with nothing claimed', async () => {
    server.reset()
    const port = await deadPort()
    const { image } = repoFor(uniqueName('down'), `127.0.0.1:${port}`)
    const started = Date.now()
    const r = await runAction({
      workspace: workspace(),
      inputs: { image, 'osv-db': OSV_FIXTURES, ...credentials(`127.0.0.1:${port}`) },
      event: push,
      apiUrl: server.url,
      token: TOKEN
    })
    expect(Date.now() - started).toBeLessThan(180_000)
    expectExit(r, 1)
    expect(errorLine(r)).toMatch(/push/i)
    expect(errorLine(r)).toContain(`127.0.0.1:${port}`)
    expectNothingClaimed(r)
    images.push(...tagsOf(r))
  })

  it('the registry answers 500 and then 200: the push is retried and the digest is the registry’s', async () => {
    server.reset()
    const flaky = await flakyRegistry(env.registry, 2)
    try {
      const name = uniqueName('flaky')
      const { image } = repoFor(name, flaky.address)
      const r = await runAction({
        workspace: workspace(),
        inputs: { image, 'osv-db': OSV_FIXTURES, ...credentials(flaky.address) },
        event: push,
        apiUrl: server.url,
        token: TOKEN
      })
      expect(flaky.failed()).toBe(2)
      expectExit(r, 0)
      expect(r.outputs.pushed).toBe('true')
      expect(r.outputs.digest).toMatch(/^sha256:/)
      expect(await registryDigest(env, `e2e/${name}`, 'main')).toBe(r.outputs.digest)
      expectNoSecrets(r, [env.password, TOKEN], server.requests)
      images.push(...tagsOf(r))
    } finally {
      await flaky.close()
    }
  })

  it('wrong credentials: fails at once with the registry’s message, pushed=false', async () => {
    server.reset()
    const { repo, image } = repoFor(uniqueName('badpw'))
    const wrong = 'definitely-not-the-password-6b1e'
    const started = Date.now()
    const r = await runAction({
      workspace: workspace(),
      inputs: {
        image,
        'osv-db': OSV_FIXTURES,
        registry: env.registry,
        username: env.username,
        password: wrong
      },
      event: push,
      apiUrl: server.url,
      token: TOKEN
    })
    expect(Date.now() - started).toBeLessThan(120_000)
    expectExit(r, 1)
    expect(errorLine(r)).toMatch(/unauthorized|authentication|denied/i)
    expect(await registryTags(env, repo)).toEqual([])
    expectNothingClaimed(r)
    expectNoSecrets(r, [wrong], [])
    images.push(...tagsOf(r))
  })

  it('the OSV API times out: the gate fails closed, or warns with scan-failure: warn', async () => {
    server.reset()
    const silent = await silentServer()
    try {
      // A Debian image, so that there are packages to look up.
      const ws = workspace({ dockerfile: VULNERABLE_DOCKERFILE })
      const closed = await runAction({
        workspace: ws,
        inputs: { 'osv-api-url': silent.url, push: 'false' },
        event: push,
        apiUrl: server.url,
        token: TOKEN,
        env: { SECURE_IMAGE_OSV_TIMEOUT_MS: '1500', SECURE_IMAGE_OSV_RETRIES: '1' }
      })
      expectExit(closed, 1)
      expect(closed.outputs.gate).toBe('failed')
      expect(errorLine(closed)).toMatch(/scan could not run.*OSV/i)
      images.push(...tagsOf(closed))

      const warned = await runAction({
        workspace: ws,
        inputs: { 'osv-api-url': silent.url, push: 'false', 'scan-failure': 'warn' },
        event: push,
        apiUrl: server.url,
        token: TOKEN,
        env: { SECURE_IMAGE_OSV_TIMEOUT_MS: '1500', SECURE_IMAGE_OSV_RETRIES: '1' }
      })
      expectExit(warned, 0)
      expect(warned.outputs.gate).toBe('passed')
      expect(warned.stdout).toMatch(/^::warning::the scan could not run/m)
    } finally {
      await silent.close()
    }
  })

  it('a 403 on every GitHub call: the step still passes, with annotations and a summary', async () => {
    server.reset()
    server.setFaults({ forbidAll: true })
    try {
      const r = await runAction({
        workspace: workspace({ dockerfile: GOOD_DOCKERFILE.replace(/^HEALTHCHECK.*$/m, '') }),
        inputs: { 'osv-db': OSV_FIXTURES },
        event: pullRequestEvent(77),
        apiUrl: server.url,
        token: TOKEN
      })
      expectExit(r, 0)
      expect(r.outputs.gate).toBe('passed')
      expect(r.summary).toMatch(/passed/i)
      expect(r.stdout).toMatch(/^::(warning|notice) .*file=Dockerfile/m)
      expect(r.stdout).toMatch(/^::notice::/m)
      expect(server.requests.length).toBeGreaterThan(0)
      images.push(...tagsOf(r))
    } finally {
      server.setFaults({})
    }
  })

  it('a malformed Dockerfile: a parse-error finding with its line, no crash', async () => {
    server.reset()
    const r = await runAction({
      workspace: workspace({ dockerfile: 'FROM busybox:stable\nRUN\nFROOM nothing\n' }),
      inputs: { 'osv-db': OSV_FIXTURES, push: 'false' },
      event: push,
      apiUrl: server.url,
      token: TOKEN
    })
    expectExit(r, 1)
    expect(r.outputs.gate).toBe('failed')
    const at = [
      ...annotationsAt(r, 'Dockerfile', 2, server.requests),
      ...annotationsAt(r, 'Dockerfile', 3, server.requests)
    ]
    expect(at.some((a) => /^(error|failure)/.test(a))).toBe(true)
    expectNothingClaimed(r)
    images.push(...tagsOf(r))
  })

  it('a build context of 50,000 files: built, scanned and gated', async () => {
    server.reset()
    const ws = workspace({
      dockerfile:
        'FROM busybox:stable\nCOPY many/ /many/\nUSER 10001\nHEALTHCHECK CMD ["true"]\nCMD ["true"]\n'
    })
    writeFileSync(path.join(ws, '.dockerignore'), '*\n!many/\n')
    for (let d = 0; d < 100; d++) {
      const dir = path.join(ws, 'many', `d${d}`)
      mkdirSync(dir, { recursive: true })
      for (let f = 0; f < 500; f++) writeFileSync(path.join(dir, `f${f}.txt`), `${d}/${f}\n`)
    }
    const r = await runAction({
      workspace: ws,
      inputs: { 'osv-db': OSV_FIXTURES, push: 'false' },
      event: push,
      apiUrl: server.url,
      token: TOKEN
    })
    expect(errorLine(r)).toBe('')
    expectExit(r, 0)
    expect(r.outputs['image-id']).toMatch(/^sha256:/)
    const count = docker([
      'run',
      '--rm',
      r.outputs['image-id'],
      'sh',
      '-c',
      'find /many -type f | wc -l'
    ]).trim()
    expect(Number(count)).toBe(50_000)
    images.push(...tagsOf(r))
  }, 480_000)

  it('an unreadable config file: an error naming the file, before any work', async () => {
    server.reset()
    const ws = workspace()
    mkdirSync(path.join(ws, 'policy.yml'))
    const r = await runAction({
      workspace: ws,
      inputs: { config: 'policy.yml' },
      event: push,
      apiUrl: server.url,
      token: TOKEN
    })
    expectExit(r, 1)
    expect(errorLine(r)).toMatch(/cannot read config file .*policy\.yml/)
    expect(r.outputs['image-id'] ?? '').toBe('')
  })
})
