/**
 * The bundled action, run as the runner runs it, against the real engine, a real registry with basic auth and
 * a loopback stand-in for the GitHub API.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { runAction, expectExit, pullRequestEvent, pushEvent, type RunResult } from '../helpers/runner.js'
import { testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { registryDigest, registryTags } from '../helpers/registry.js'
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js'
import {
  workspace,
  repoFor,
  credentials,
  everything,
  expectNoSecrets,
  annotationsAt,
  OSV_FIXTURES,
  GOOD_DOCKERFILE,
  VULNERABLE_DOCKERFILE as VULNERABLE
} from '../helpers/e2e.js'

const env = testEnv()
const TOKEN = 'ghs_e2eTokenThatMustNeverBeLogged0123456789'
const OSV = OSV_FIXTURES

let server: GitHubServer
const cleanup: string[] = []

beforeAll(async () => {
  server = await startGitHubServer()
})
afterAll(async () => {
  await server.close()
  untag(...cleanup)
})

function expectClean(r: RunResult): void {
  expectNoSecrets(r, [env.password, TOKEN], server.requests)
}

/** Runs the action on a push event, into a fresh repository of the test registry. */
async function pushRun(name: string, opts: { dockerfile?: string; config?: string; ref?: string } = {}) {
  server.reset()
  const { repo, image } = repoFor(uniqueName(name))
  const r = await runAction({
    workspace: workspace({ dockerfile: opts.dockerfile, config: opts.config }),
    inputs: { image, 'osv-db': OSV, ...credentials() },
    event: pushEvent(opts.ref ?? 'refs/heads/main'),
    apiUrl: server.url,
    token: TOKEN
  })
  if (r.outputs['image-id']) cleanup.push(r.outputs['image-id'])
  return { r, repo, image }
}

const GOOD = GOOD_DOCKERFILE

describe('the action as the runner runs it', () => {
  it('on a clean pull request: passes, annotates, comments once, pushes nothing; a rerun updates the comment', async () => {
    server.reset()
    const { repo, image } = repoFor(uniqueName('pr'))
    const ws = workspace()
    const inputs = { image, 'osv-db': OSV, ...credentials() }
    const first = await runAction({
      workspace: ws,
      inputs,
      event: pullRequestEvent(12),
      apiUrl: server.url,
      token: TOKEN
    })
    expect(first.stderr + first.stdout).not.toMatch(/::error::/)
    expectExit(first, 0)
    expect(first.outputs.gate).toBe('passed')
    expect(first.outputs.pushed).toBe('false')
    expect(first.outputs.digest).toBe('')
    expect(first.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
    cleanup.push(first.outputs['image-id'])
    expect(await registryTags(env, repo)).toEqual([])
    // annotations go through a check run (the token may write checks)
    expect(server.requests.some((q) => q.method === 'POST' && q.path.endsWith('/check-runs'))).toBe(true)
    const comments = server.state.comments.filter((c) => c.issue === 12)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toMatch(/passed/i)
    expect(first.summary).toMatch(/passed/i)
    const report = JSON.parse(readFileSync(first.outputs.report, 'utf8'))
    expect(report.gate.passed).toBe(true)
    expect(JSON.parse(first.outputs.findings)).toHaveProperty('lint')
    expectClean(first)

    const second = await runAction({
      workspace: ws,
      inputs,
      event: pullRequestEvent(12),
      apiUrl: server.url,
      token: TOKEN
    })
    expectExit(second, 0)
    const after = server.state.comments.filter((c) => c.issue === 12)
    expect(after).toHaveLength(1)
    expect(after[0].id).toBe(comments[0].id)
    expect(after[0].updates).toBeGreaterThanOrEqual(1)
    expectClean(second)
  })

  it('on a push to main: pushes, and the digest output is what the registry holds', async () => {
    const { r, repo, image } = await pushRun('main')
    expect(r.stderr).toBe('')
    expectExit(r, 0)
    expect(r.outputs.gate).toBe('passed')
    expect(r.outputs.pushed).toBe('true')
    const tags = await registryTags(env, repo)
    expect(tags).toContain('main')
    expect(tags).toContain('sha-f00dfac')
    expect(r.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(await registryDigest(env, repo, 'main')).toBe(r.outputs.digest)
    expect(r.outputs.tags.split('\n').sort()).toEqual([`${image}:main`, `${image}:sha-f00dfac`].sort())
    expectClean(r)
  })

  it('on a semver tag: pushes 1.2.3, 1.2 and 1', async () => {
    const { r, repo } = await pushRun('semver', { ref: 'refs/tags/v1.2.3' })
    expectExit(r, 0)
    expect(r.outputs.pushed).toBe('true')
    const tags = await registryTags(env, repo)
    expect(tags).toEqual(expect.arrayContaining(['1.2.3', '1.2', '1']))
    expect(await registryDigest(env, repo, '1.2.3')).toBe(r.outputs.digest)
  })

  it('with a base outside the allowlist: fails, pushes nothing, and puts an error on the FROM line', async () => {
    const { r, repo } = await pushRun('untrusted', {
      dockerfile:
        '# base from an unapproved registry\nFROM quay.io/evil/busybox:1.36\nUSER 1000\nCMD ["true"]\n'
    })
    expectExit(r, 1)
    expect(r.outputs.gate).toBe('failed')
    expect(r.outputs.pushed).toBe('false')
    expect(r.outputs.digest).toBe('')
    expect(await registryTags(env, repo)).toEqual([])
    const at = annotationsAt(r, 'Dockerfile', 2, server.requests)
    expect(at.some((a) => /^(error|failure)/.test(a) && a.includes('quay.io/evil/busybox'))).toBe(true)
    expect(r.stdout).toMatch(/::error::secure-image gate failed/)
  })

  describe('a vulnerable image', () => {
    const ignoreConfig = (expires: string) =>
      [
        'ignore:',
        '  - id: CVE-2099-0001',
        '    reason: inflate is not reachable from this service',
        `    expires: ${expires}`,
        '  - id: DEBIAN-CVE-2099-0002',
        '    package: tar',
        '    reason: tar only runs at build time',
        `    expires: ${expires}`,
        ''
      ].join('\n')

    it('over the threshold: fails and pushes nothing', async () => {
      const { r, repo } = await pushRun('vuln', { dockerfile: VULNERABLE })
      expectExit(r, 1)
      expect(r.outputs.gate).toBe('failed')
      expect(r.outputs.pushed).toBe('false')
      expect(await registryTags(env, repo)).toEqual([])
      const report = JSON.parse(readFileSync(r.outputs.report, 'utf8'))
      const ids = report.findings
        .filter((f: { category: string }) => f.category === 'vulnerability')
        .map((f: { ruleId: string }) => f.ruleId)
      expect(ids).toEqual(expect.arrayContaining(['DEBIAN-CVE-2099-0001', 'DEBIAN-CVE-2099-0002']))
      // advisory text is escaped before it reaches workflow commands
      expect(r.stdout).not.toMatch(/^::set-output/m)
    })

    it('with its advisories ignored in the config file (with reasons): passes and lists them as ignored', async () => {
      const { r, repo } = await pushRun('ignored', {
        dockerfile: VULNERABLE,
        config: ignoreConfig('2099-12-31')
      })
      expectExit(r, 0)
      expect(r.outputs.gate).toBe('passed')
      expect(r.outputs.pushed).toBe('true')
      expect(await registryDigest(env, repo, 'main')).toBe(r.outputs.digest)
      const report = JSON.parse(readFileSync(r.outputs.report, 'utf8'))
      const ignored = report.findings.filter((f: { suppressed?: unknown }) => f.suppressed)
      expect(ignored.map((f: { ruleId: string }) => f.ruleId)).toEqual(
        expect.arrayContaining(['DEBIAN-CVE-2099-0001', 'DEBIAN-CVE-2099-0002'])
      )
      expect(JSON.parse(r.outputs.findings).ignored).toBeGreaterThanOrEqual(2)
      expect(r.summary).toContain('inflate is not reachable from this service')
    })

    it('with an expired ignore: fails again, with a warning', async () => {
      const { r, repo } = await pushRun('expired', {
        dockerfile: VULNERABLE,
        config: ignoreConfig('2020-01-01')
      })
      expectExit(r, 1)
      expect(r.outputs.pushed).toBe('false')
      expect(r.stdout).toMatch(/::warning::.*expired/i)
      expect(await registryTags(env, repo)).toEqual([])
    })
  })

  it('on a fork pull request with a read-only token and empty secrets: passes with annotations and a summary', async () => {
    server.reset()
    server.setFaults({ forbidAll: true })
    try {
      const { image } = repoFor(uniqueName('fork'))
      const r = await runAction({
        workspace: workspace({ dockerfile: GOOD.replace('HEALTHCHECK', '# no healthcheck\n# HEALTHCHECK') }),
        inputs: { image, 'osv-db': OSV, registry: env.registry, username: '', password: '' },
        event: pullRequestEvent(34, { fork: true }),
        apiUrl: server.url,
        token: 'ghs_readOnlyForkToken000000000000000000'
      })
      expectExit(r, 0)
      expect(r.outputs.gate).toBe('passed')
      expect(r.outputs.pushed).toBe('false')
      expect(r.summary.length).toBeGreaterThan(100)
      expect(r.stdout).toMatch(/^::(warning|notice) .*file=Dockerfile/m)
      expect(server.state.comments).toHaveLength(0)
    } finally {
      server.setFaults({})
    }
  })

  it('fails before any work on a bad input, naming it', async () => {
    server.reset()
    const r = await runAction({
      workspace: workspace(),
      inputs: { push: 'maybe', password: 'hunter2-not-logged' },
      event: pushEvent('refs/heads/main'),
      apiUrl: server.url,
      token: TOKEN
    })
    expectExit(r, 1)
    expect(r.stdout).toMatch(/::error::input "push" must be auto, true or false \(got "maybe"\)/)
    expect(r.stdout).toContain('::add-mask::hunter2-not-logged')
    expect(everything(r, server.requests)).not.toContain('hunter2-not-logged')
    expect(server.requests).toHaveLength(0)
  })
})
