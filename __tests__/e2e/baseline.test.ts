/**
 * Baselines end to end: the bundled action run as the runner runs it, against the real engine, the test
 * registry (where a push to main publishes the baseline) and the loopback GitHub API. Each scenario publishes
 * its own `main` image, then runs a pull request against it.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { runAction, expectExit, pullRequestEvent, pushEvent, type RunResult } from '../helpers/runner.js'
import { testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { registryDigest } from '../helpers/registry.js'
import { startGitHubServer, type GitHubServer } from '../helpers/github-server.js'
import {
  workspace,
  repoFor,
  credentials,
  expectNoSecrets,
  annotationsAt,
  OSV_FIXTURES,
  VULNERABLE_DOCKERFILE
} from '../helpers/e2e.js'
import { createEngine } from '../../src/docker/engine.js'
import { buildOptions } from '../helpers/build.js'
import { p256 } from '../helpers/signing.js'

const env = testEnv()
/** Each scenario runs the action two to four times, each a build and a scan on a shared machine. */
const SCENARIO_MS = 900_000
const TOKEN = 'ghs_baselineTokenThatMustNeverBeLogged012345'
let server: GitHubServer
const cleanup: string[] = []

beforeAll(async () => {
  server = await startGitHubServer()
})
afterAll(async () => {
  await server.close()
  untag(...cleanup)
})

/** Accepting the Debian base's backlog on main, so that main publishes (the pull requests do not accept it). */
const ACCEPT_BACKLOG = [
  'ignore:',
  '  - id: DEBIAN-CVE-2099-0001',
  '    reason: accepted on main until the base image is upgraded',
  '    expires: 2099-12-31',
  '  - id: DEBIAN-CVE-2099-0002',
  '    reason: accepted on main until the base image is upgraded',
  '    expires: 2099-12-31',
  '  - id: GHSA-test-left-pad-0003',
  '    reason: accepted on main',
  '    expires: 2099-12-31',
  ''
].join('\n')

/** VULNERABLE_DOCKERFILE whose one RUN line also installs left-pad `version` (a fake npm package). */
function withLeftPad(version: string): string {
  const lines = VULNERABLE_DOCKERFILE.split('\n')
  expect(lines[1]).toMatch(/^RUN /)
  lines[1] +=
    ` && mkdir -p /srv/node_modules/left-pad` +
    ` && echo '{"name":"left-pad","version":"${version}"}' > /srv/node_modules/left-pad/package.json`
  return lines.join('\n')
}

/** VULNERABLE_DOCKERFILE with `line` inserted after its first two lines. */
function withLine(line: string): string {
  const lines = VULNERABLE_DOCKERFILE.split('\n')
  lines.splice(2, 0, line)
  return lines.join('\n')
}

/** A unified diff of two texts, as GitHub's pulls API gives it (one hunk: common head, changes, common tail). */
function patch(before: string, after: string): string {
  const a = before.split('\n')
  const b = after.split('\n')
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++
  const lines = [
    `@@ -1,${a.length} +1,${b.length} @@`,
    ...a.slice(0, head).map((l) => ` ${l}`),
    ...a.slice(head, a.length - tail).map((l) => `-${l}`),
    ...b.slice(head, b.length - tail).map((l) => `+${l}`),
    ...a.slice(a.length - tail).map((l) => ` ${l}`)
  ]
  return lines.join('\n')
}

interface Report {
  findings: { ruleId: string; category: string; severity: string; baseline?: string; suppressed?: unknown }[]
  fixed?: { ruleId: string }[]
  baseline?: {
    found: boolean
    ref?: string
    digest?: string
    source?: string
    reason?: string
    counts?: Record<string, number>
  }
  advice?: {
    base: string
    inherited: number
    total: number
    candidate?: string
    fixable?: number
    note?: string
  }
  gate: { passed: boolean; failOn?: string }
}

const reportOf = (r: RunResult): Report => JSON.parse(readFileSync(r.outputs.report, 'utf8')) as Report

/** Publishes `dockerfile` as `<image>:main` through the action (a push to main), and returns the digest. */
async function publishMain(
  image: string,
  repo: string,
  dockerfile: string,
  inputs: Record<string, string> = {}
): Promise<string> {
  server.reset()
  const r = await runAction({
    workspace: workspace({ dockerfile, config: ACCEPT_BACKLOG }),
    inputs: { image, 'osv-db': OSV_FIXTURES, ...credentials(), ...inputs },
    event: pushEvent('refs/heads/main'),
    apiUrl: server.url,
    token: TOKEN
  })
  if (r.outputs['image-id']) cleanup.push(r.outputs['image-id'])
  expectExit(r, 0)
  expect(r.outputs.pushed).toBe('true')
  const digest = await registryDigest(env, repo, 'main')
  expect(digest).toBe(r.outputs.digest)
  return digest as string
}

/** Runs pull request `pr` (changing the Dockerfile from `before` to `after`) without resetting the server. */
async function pullRequest(
  pr: number,
  image: string,
  before: string,
  after: string,
  inputs: Record<string, string> = {}
): Promise<RunResult> {
  server.state.pullFiles[pr] = [{ filename: 'Dockerfile', status: 'modified', patch: patch(before, after) }]
  const r = await runAction({
    workspace: workspace({ dockerfile: after }),
    inputs: { image, 'osv-db': OSV_FIXTURES, ...credentials(), ...inputs },
    event: pullRequestEvent(pr),
    apiUrl: server.url,
    token: TOKEN
  })
  if (r.outputs['image-id']) cleanup.push(r.outputs['image-id'])
  expectNoSecrets(r, [env.password, TOKEN], server.requests)
  return r
}

const commentsOn = (pr: number) => server.state.comments.filter((c) => c.issue === pr)

/** The part of a comment before its first collapsed section. */
const lead = (body: string): string =>
  body.slice(0, body.indexOf('<details>') >= 0 ? body.indexOf('<details>') : undefined)

describe('a pull request compared with the image last published for its base branch', () => {
  it(
    'that adds a vulnerable package: one new finding, the base backlog collapsed, and it gates with fail-on: new',
    async () => {
      const { repo, image } = repoFor(uniqueName('bl-add'))
      const digest = await publishMain(image, repo, VULNERABLE_DOCKERFILE)
      const after = withLeftPad('1.0.0')
      const r = await pullRequest(41, image, VULNERABLE_DOCKERFILE, after, { 'fail-on': 'new' })

      const report = reportOf(r)
      expect(report.baseline).toMatchObject({ found: true, ref: `${image}:main`, digest })
      const fresh = report.findings.filter((f) => f.baseline === 'new')
      expect(fresh.map((f) => f.ruleId)).toEqual(['GHSA-test-left-pad-0003'])
      const inherited = report.findings.filter((f) => f.baseline === 'inherited').map((f) => f.ruleId)
      expect(inherited).toEqual(expect.arrayContaining(['DEBIAN-CVE-2099-0001', 'DEBIAN-CVE-2099-0002']))
      expect(report.fixed).toEqual([])
      // the new high gates with fail-on: new
      expectExit(r, 1)
      expect(report.gate).toMatchObject({ passed: false, failOn: 'new' })

      const [comment] = commentsOn(41)
      expect(commentsOn(41)).toHaveLength(1)
      // The comment leads with the new finding; the backlog is inside a collapsed section.
      expect(lead(comment.body)).toContain('GHSA-test-left-pad-0003')
      expect(lead(comment.body)).not.toContain('DEBIAN-CVE-2099-0001')
      expect(comment.body).toMatch(/<details><summary><b>Inherited from the base image<\/b>: 2 findings/)
      expect(comment.body).toContain('DEBIAN-CVE-2099-0001')
      expect(comment.body).toContain('**1 new**, **0 fixed**')
      expect(r.summary).toContain('GHSA-test-left-pad-0003')

      // Annotations: the new finding on its line, nothing on the FROM line for the inherited backlog.
      expect(annotationsAt(r, 'Dockerfile', 2, server.requests).join('\n')).toContain('left-pad')
      expect(annotationsAt(r, 'Dockerfile', 1, server.requests)).toEqual([])
      const annotated = server.requests
        .flatMap(
          (q) => (q.body as { output?: { annotations?: { message: string }[] } })?.output?.annotations ?? []
        )
        .map((a) => a.message)
      expect(annotated.join('\n')).not.toMatch(/zlib|inherited from/)
    },
    SCENARIO_MS
  )

  it(
    "read from the published image's signed gate result, without pulling it, classified alike",
    async () => {
      const key = p256()
      const { repo, image } = repoFor(uniqueName('bl-attest'))
      const digest = await publishMain(image, repo, VULNERABLE_DOCKERFILE, { 'signing-key': key.privateKey })
      const r = await pullRequest(47, image, VULNERABLE_DOCKERFILE, withLeftPad('1.0.0'), {
        'fail-on': 'new',
        'trusted-keys': key.publicKey
      })
      const report = reportOf(r)
      expect(report.baseline).toMatchObject({ found: true, digest, source: 'attestation' })
      expect(r.stdout).toMatch(
        /baseline read from its gate-result attestation sha256:[0-9a-f]{64}, signed by key/
      )
      expect(r.stdout).not.toMatch(/baseline attestations not used/)
      // the same outcome as the pulled-and-scanned baseline of the first scenario
      const fresh = report.findings.filter((f) => f.baseline === 'new')
      expect(fresh.map((f) => f.ruleId)).toEqual(['GHSA-test-left-pad-0003'])
      const inherited = report.findings.filter((f) => f.baseline === 'inherited').map((f) => f.ruleId)
      expect(inherited).toEqual(expect.arrayContaining(['DEBIAN-CVE-2099-0001', 'DEBIAN-CVE-2099-0002']))
      expect(report.fixed).toEqual([])
      expect(r.code).toBe(1)
    },
    SCENARIO_MS
  )

  it(
    'that upgrades a vulnerable package: a fixed finding, in the comment and in SARIF as absent',
    async () => {
      const { repo, image } = repoFor(uniqueName('bl-fix'))
      const before = withLeftPad('1.0.0')
      await publishMain(image, repo, before)
      const after = withLeftPad('1.3.0')
      const sarifDir = mkdtempSync(path.join(tmpdir(), 'si-sarif-'))
      const r = await pullRequest(42, image, before, after, {
        'sarif-file': path.join(sarifDir, 'out.sarif'),
        'fail-on': 'new'
      })
      const report = reportOf(r)
      expect(report.fixed?.map((f) => f.ruleId)).toEqual(['GHSA-test-left-pad-0003'])
      expect(report.findings.filter((f) => f.baseline === 'new')).toEqual([])
      expect(report.baseline?.counts).toMatchObject({ new: 0, fixed: 1, inherited: 2 })
      expectExit(r, 0)

      const [comment] = commentsOn(42)
      expect(lead(comment.body)).toMatch(/Fixed by this change[^\n]*1 finding/)
      expect(lead(comment.body)).toContain('GHSA-test-left-pad-0003')

      const sarif = JSON.parse(readFileSync(r.outputs.sarif, 'utf8')) as {
        runs: {
          results: {
            ruleId: string
            baselineState?: string
            kind?: string
            properties?: { baseline?: string }
          }[]
        }[]
      }
      const results = sarif.runs[0].results
      const fixed = results.filter((x) => x.baselineState === 'absent')
      expect(fixed.map((x) => x.ruleId)).toEqual(['GHSA-test-left-pad-0003'])
      expect(fixed[0].kind).toBe('pass')
      const zlib = results.find((x) => x.ruleId === 'DEBIAN-CVE-2099-0001')
      expect(zlib).toMatchObject({ baselineState: 'unchanged', properties: { baseline: 'inherited' } })
    },
    SCENARIO_MS
  )

  it(
    'that changes only a comment: nothing new, fail-on: new passes though the base has highs; a rerun updates the comment',
    async () => {
      const { repo, image } = repoFor(uniqueName('bl-comment'))
      await publishMain(image, repo, VULNERABLE_DOCKERFILE)
      const after = withLine('# the static site lives in /srv/www')
      const r = await pullRequest(43, image, VULNERABLE_DOCKERFILE, after, { 'fail-on': 'new' })
      const report = reportOf(r)
      expect(report.baseline?.found).toBe(true)
      expect(report.findings.filter((f) => f.baseline === 'new')).toEqual([])
      const highs = report.findings.filter((f) => ['high', 'critical'].includes(f.severity) && !f.suppressed)
      expect(highs.length).toBeGreaterThanOrEqual(2)
      expectExit(r, 0)
      expect(r.outputs.gate).toBe('passed')
      const first = commentsOn(43)
      expect(first).toHaveLength(1)
      expect(first[0].body).toMatch(/New in this change: none/)

      const rerun = await pullRequest(43, image, VULNERABLE_DOCKERFILE, after, { 'fail-on': 'new' })
      expectExit(rerun, 0)
      const after2 = commentsOn(43)
      expect(after2).toHaveLength(1)
      expect(after2[0].id).toBe(first[0].id)
      expect(after2[0].updates).toBeGreaterThanOrEqual(1)

      // The same pull request with the default fail-on: all fails on the inherited highs.
      const all = await pullRequest(43, image, VULNERABLE_DOCKERFILE, after)
      expectExit(all, 1)
      expect(reportOf(all).gate.passed).toBe(false)
    },
    SCENARIO_MS
  )
})

describe('matrix jobs and missing baselines', () => {
  it(
    'two matrix images in one pull request keep two comments',
    async () => {
      server.reset()
      const images = [repoFor(uniqueName('bl-matrix-a')).image, repoFor(uniqueName('bl-matrix-b')).image]
      const matrices = ['{"variant":"a","os":"linux"}', '{"os":"linux","variant":"b"}']
      for (let i = 0; i < 2; i++) {
        const r = await runAction({
          workspace: workspace(),
          inputs: { image: images[i], 'osv-db': OSV_FIXTURES, ...credentials(), matrix: matrices[i] },
          event: pullRequestEvent(44),
          apiUrl: server.url,
          token: TOKEN
        })
        if (r.outputs['image-id']) cleanup.push(r.outputs['image-id'])
        expectExit(r, 0)
      }
      const comments = commentsOn(44)
      expect(comments).toHaveLength(2)
      expect(comments[0].body).toContain(
        `<!-- secure-image:${images[0]} matrix={"os":"linux","variant":"a"} -->`
      )
      expect(comments[1].body).toContain(
        `<!-- secure-image:${images[1]} matrix={"os":"linux","variant":"b"} -->`
      )
    },
    SCENARIO_MS
  )

  it(
    'a baseline that cannot be had: a notice, the comment says so, and the run does not fail',
    async () => {
      server.reset()
      const { image } = repoFor(uniqueName('bl-none'))
      const r = await runAction({
        workspace: workspace(),
        // nothing listens on port 9 of the loopback: the registry cannot be reached
        inputs: {
          image,
          'osv-db': OSV_FIXTURES,
          ...credentials(),
          baseline: '127.0.0.1:9/acme/app:main',
          'fail-on': 'new'
        },
        event: pullRequestEvent(45),
        apiUrl: server.url,
        token: TOKEN
      })
      if (r.outputs['image-id']) cleanup.push(r.outputs['image-id'])
      expectExit(r, 0)
      expect(r.stdout).toMatch(/^::notice::No baseline to compare with: .*127\.0\.0\.1:9/m)
      const report = reportOf(r)
      expect(report.baseline).toMatchObject({ found: false })
      expect(report.findings.every((f) => f.baseline === undefined)).toBe(true)
      const [comment] = commentsOn(45)
      expect(comment.body).toMatch(/\*\*No baseline\*\*/)
    },
    SCENARIO_MS
  )
})

describe('base-image advice', () => {
  const engine = createEngine()
  const auth = { registry: env.registry, username: env.username, password: env.password }

  /** Builds a base image locally and pushes it to the test registry as `ref`. */
  async function pushBase(ref: string, dockerfile: string): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'si-base-'))
    writeFileSync(path.join(dir, 'Dockerfile'), dockerfile)
    const { imageId } = await engine.build(buildOptions(dir, ref), () => undefined)
    await engine.push(imageId, [ref], auth)
    cleanup.push(ref)
  }

  it(
    'when inherited findings dominate: counts those a newer tag of the base in the registry fixes',
    async () => {
      const { repo: baseRepo } = repoFor(uniqueName('bl-base'))
      const baseImage = `${env.registry}/${baseRepo}`
      await pushBase(`${baseImage}:1.0`, 'FROM debian:bookworm\n')
      // 1.1 carries the fixed zlib (the dpkg database says so), and still the vulnerable tar.
      await pushBase(
        `${baseImage}:1.1`,
        'FROM debian:bookworm\nRUN sed -i "s/^Version: 1:1.2.13.dfsg-1$/Version: 1:1.2.13.dfsg-1+deb12u99/" /var/lib/dpkg/status\n'
      )
      await pushBase(`${baseImage}:2.0`, 'FROM debian:bookworm\n')
      const { image } = repoFor(uniqueName('bl-advice'))
      const dockerfile = VULNERABLE_DOCKERFILE.replace('FROM debian:bookworm', `FROM ${baseImage}:1.0`)
      server.reset()
      const r = await runAction({
        workspace: workspace({ dockerfile }),
        inputs: {
          image,
          'osv-db': OSV_FIXTURES,
          ...credentials(),
          'allowed-registries': `docker.io/library, ${env.registry}/e2e`
        },
        event: pullRequestEvent(46),
        apiUrl: server.url,
        token: TOKEN
      })
      if (r.outputs['image-id']) cleanup.push(r.outputs['image-id'])
      const report = reportOf(r)
      expect(report.advice).toMatchObject({
        base: `${baseImage}:1.0`,
        inherited: 2,
        total: 2,
        candidate: `${baseImage}:1.1`,
        fixable: 1
      })
      const [comment] = commentsOn(46)
      expect(comment.body).toContain('would fix 1 of them')
    },
    SCENARIO_MS
  )
})
