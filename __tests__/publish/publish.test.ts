/**
 * The publish stage against a loopback server standing in for the GitHub API, through the real
 * `@actions/github` client (GITHUB_API_URL) and the real `@actions/core` (stdout, GITHUB_STEP_SUMMARY).
 */
import { describe, it, expect, jest, beforeEach, afterEach } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Finding, Report } from '../../src/findings.js'
import type { PublishContext, PublishResult } from '../../src/publish/index.js'
import { start, type GitHubServer, type ServerOptions } from '../helpers/github-server.js'
import { HOSTILE, lint, report, vuln } from './make.js'

const HEAD_SHA = 'a'.repeat(40)
const REPO = 'octo/app'
const ENV_KEYS = [
  'GITHUB_API_URL',
  'GITHUB_EVENT_PATH',
  'GITHUB_EVENT_NAME',
  'GITHUB_REPOSITORY',
  'GITHUB_SHA',
  'GITHUB_STEP_SUMMARY'
] as const

let dir: string
let server: GitHubServer | undefined
let stdout: string[]
const savedEnv: Record<string, string | undefined> = {}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'si-publish-'))
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k]
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  })
})

afterEach(async () => {
  jest.restoreAllMocks()
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k]
    else process.env[k] = savedEnv[k]
  }
  await server?.close()
  server = undefined
  rmSync(dir, { recursive: true, force: true })
})

interface Setup {
  event?: 'pull_request' | 'push'
  fork?: boolean
  server?: ServerOptions
  pullFiles?: { filename: string; status: string; patch?: string }[]
}

/** Starts the server, sets the runner's environment, and imports the publish stage fresh (the context is read at import). */
async function setup(
  opts: Setup = {}
): Promise<{ publish: (r: Report, c: PublishContext) => Promise<PublishResult>; summary: string }> {
  await server?.close()
  server = await start(opts.server)
  if (opts.pullFiles) server.state.pullFiles[7] = opts.pullFiles
  const event = opts.event ?? 'pull_request'
  const payload =
    event === 'pull_request'
      ? {
          pull_request: {
            number: 7,
            head: { sha: HEAD_SHA, repo: { full_name: opts.fork ? 'forker/app' : REPO } },
            base: { repo: { full_name: REPO } }
          }
        }
      : { ref: 'refs/heads/main' }
  const eventPath = join(dir, 'event.json')
  writeFileSync(eventPath, JSON.stringify(payload))
  const summary = join(dir, 'summary.md')
  writeFileSync(summary, '')
  Object.assign(process.env, {
    GITHUB_API_URL: server.url,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: event,
    GITHUB_REPOSITORY: REPO,
    GITHUB_SHA: 'b'.repeat(40),
    GITHUB_STEP_SUMMARY: summary
  })
  jest.resetModules()
  const mod = await import('../../src/publish/index.js')
  return { publish: mod.publish, summary }
}

function ctx(over: Partial<PublishContext> = {}): PublishContext {
  return {
    token: 'ghs_test',
    image: 'ghcr.io/octo/app',
    stepName: 'secure-image',
    annotations: true,
    comment: true,
    pushed: false,
    refs: [],
    dockerfilePath: 'Dockerfile',
    baseImage: 'debian:12',
    ...over
  }
}

/** The workflow-command lines written to stdout. */
function commandLines(): string[] {
  return stdout
    .join('')
    .split(/\r?\n/)
    .filter((l) => l.startsWith('::'))
}

function manyFindings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    lint(i + 1, { severity: (['high', 'medium', 'low'] as const)[i % 3], ruleId: `DL${3000 + (i % 50)}` })
  )
}

describe('publish: sticky PR comment', () => {
  it('creates the comment once, then updates it in place (found across pages), never duplicating it', async () => {
    const { publish } = await setup({ server: { maxPerPage: 2 } })
    // Other people's comments, and the comment of another image, on the same PR.
    for (let i = 0; i < 3; i++) {
      server!.state.comments.push({
        id: i + 1,
        issue: 7,
        body: `comment ${i}`,
        user: { login: 'someone', type: 'User' },
        html_url: '',
        created_at: '',
        updated_at: '',
        updates: 0
      })
    }
    server!.state.comments.push({
      id: 50,
      issue: 7,
      body: '<!-- secure-image:ghcr.io/octo/other -->\nother image',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: '',
      created_at: '',
      updated_at: '',
      updates: 0
    })

    const first = await publish(report([lint(3, { severity: 'high' })]), ctx())
    const ours = () =>
      server!.state.comments.filter((c) => c.body.includes('<!-- secure-image:ghcr.io/octo/app -->'))
    expect(ours()).toHaveLength(1)
    expect(first.commentUrl).toMatch(/#issuecomment-\d+$/)
    expect(ours()[0].body).toContain('failed the gate')

    const second = await publish(report([]), ctx({ pushed: true, refs: ['ghcr.io/octo/app:pr-7'] }))
    expect(ours()).toHaveLength(1)
    expect(second.commentUrl).toBe(first.commentUrl)
    expect(ours()[0].body).toContain('passed the gate')
    expect(ours()[0].body).toContain('**Pushed** `ghcr.io/octo/app:pr-7`')
    expect(server!.state.comments).toHaveLength(5)
    expect(server!.state.comments.find((c) => c.id === 50)!.body).toContain('other image')

    const writes = server!.requests.filter((r) => r.path.includes('/comments') && r.method !== 'GET')
    expect(writes.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PATCH 200'])
    // The listing followed the Link header over several pages.
    expect(
      server!.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments')).length
    ).toBeGreaterThan(2)
  })

  it("updates the bot's marked comment, not a person's comment quoting the marker", async () => {
    const { publish } = await setup()
    const marker = '<!-- secure-image:ghcr.io/octo/app -->'
    const seed = (id: number, type: string) =>
      server!.state.comments.push({
        id,
        issue: 7,
        body: `${marker} ${type}`,
        user: { login: type === 'Bot' ? 'github-actions[bot]' : 'mallory', type },
        html_url: `https://github.com/octo/app/pull/7#issuecomment-${id}`,
        created_at: '',
        updated_at: '',
        updates: 0
      })
    seed(1, 'User')
    seed(2, 'Bot')
    const res = await publish(report([]), ctx())
    expect(res.commentUrl).toMatch(/#issuecomment-2$/)
    expect(server!.state.comments.map((c) => c.updates)).toEqual([0, 1])
  })

  it('writes no comment with comment: false, and none outside pull requests', async () => {
    const { publish } = await setup({ event: 'push' })
    const pushed = await publish(report([lint(3)]), ctx())
    expect(pushed.commentUrl).toBeUndefined()
    expect(server!.requests.some((r) => r.path.includes('/issues/') || r.path.includes('/pulls/'))).toBe(
      false
    )
    // On a push the check run goes on the pushed commit.
    expect(server!.state.checkRuns[0].head_sha).toBe('b'.repeat(40))
    const again = await setup()
    await again.publish(report([lint(3)]), ctx({ comment: false }))
    expect(server!.requests.some((r) => r.path.includes('/issues/'))).toBe(false)
    expect(server!.state.checkRuns[0].head_sha).toBe(HEAD_SHA)
  })

  it('on a fork PR (403 on comments) still succeeds, with a notice and the job summary', async () => {
    const { publish, summary } = await setup({
      fork: true,
      server: { forbidComments: true, forbidChecks: true }
    })
    const res = await publish(report([lint(3, { severity: 'high' })]), ctx())
    expect(res.commentUrl).toBeUndefined()
    expect(res.notices.join('\n')).toContain(
      'No PR comment was written (a pull request from a fork gets a read-only token)'
    )
    expect(server!.state.comments).toHaveLength(0)
    const md = readFileSync(summary, 'utf8')
    expect(md).toContain('### ❌ secure-image: `ghcr.io/octo/app` failed the gate')
    expect(md).toContain('| Dockerfile lint | 0 | 1 | 0 | 0 | 0 | 1 |')
    expect(res.annotations).toBe('commands')
    // The notice is returned for the caller to write; a notice line was left free for it.
    expect(commandLines().filter((l) => l.startsWith('::notice '))).toHaveLength(0)
  })

  it('keeps a 70,000-character report under the comment limit, least severe rows cut', async () => {
    const { publish, summary } = await setup()
    const findings = Array.from({ length: 200 }, (_, i) =>
      lint(i + 1, {
        severity: i < 20 ? 'critical' : 'info',
        ruleId: `SI${5000 + i}`,
        message: `m${i} ` + 'z'.repeat(340)
      })
    )
    const r = report(findings)
    expect(JSON.stringify(r).length).toBeGreaterThan(70000)
    const res = await publish(r, ctx())
    expect(res.commentUrl).toBeDefined()
    const body = server!.state.comments[0].body
    expect(body.length).toBeLessThanOrEqual(65536)
    for (let i = 0; i < 20; i++) expect(body).toContain(`\`SI${5000 + i}\``)
    expect(body).not.toContain('`SI5199`')
    expect(body).toMatch(
      /less severe findings not shown here \(a PR comment is limited to 65,536 characters\)/
    )
    // The job summary has room for all of them.
    expect(readFileSync(summary, 'utf8')).toContain('`SI5199`')
  })
})

describe('publish: annotations', () => {
  it('sends 120 annotations to a check run in 3 requests of at most 50', async () => {
    const { publish } = await setup()
    const res = await publish(report(manyFindings(120)), ctx())
    expect(res.annotations).toBe('checks')
    const create = server!.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/check-runs'))
    expect(create).toHaveLength(1)
    expect(create[0].body).toMatchObject({ name: 'secure-image', head_sha: HEAD_SHA })
    const batches = server!.requests
      .filter((r) => r.method === 'PATCH' && r.path.includes('/check-runs/'))
      .map((r) => (r.body as { output?: { annotations?: unknown[] } }).output?.annotations?.length ?? 0)
    expect(batches).toEqual([50, 50, 20])
    const run = server!.state.checkRuns[0]
    expect(run.output.annotations).toHaveLength(120)
    expect(run.status).toBe('completed')
    expect(run.conclusion).toBe('failure')
    expect(run.output.annotations[0]).toMatchObject({
      path: 'Dockerfile',
      annotation_level: 'failure',
      title: 'DL3000'
    })
    expect(commandLines().filter((l) => /^::(error|warning|notice) /.test(l))).toEqual([])
  })

  it('caps a check run at 1,000 annotations, the most severe kept, and says so', async () => {
    const { publish } = await setup()
    const findings = Array.from({ length: 1030 }, (_, i) =>
      lint(i + 1, { severity: i < 1000 ? 'medium' : 'high' })
    )
    const res = await publish(report(findings), ctx())
    const run = server!.state.checkRuns[0]
    expect(run.output.annotations).toHaveLength(1000)
    expect(run.output.annotations.filter((a) => a.annotation_level === 'failure')).toHaveLength(30)
    expect(res.notices).toEqual([
      expect.stringContaining('30 less relevant annotations were left out of the check run')
    ])
  })

  it('falls back to workflow commands within the budget on 403 from the Checks API', async () => {
    const { publish } = await setup({ server: { forbidChecks: true } })
    const res = await publish(report(manyFindings(60)), ctx())
    expect(res.annotations).toBe('commands')
    const lines = commandLines()
    const count = (t: string) => lines.filter((l) => l.startsWith(`::${t} file=`)).length
    expect(count('error')).toBe(9) // one left for the step's failure message
    expect(count('warning')).toBe(10)
    expect(count('notice')).toBe(9) // one left for the notice below
    expect(lines[0]).toMatch(/^::error file=Dockerfile,line=1,title=DL3000::/)
    expect(res.notices).toHaveLength(1)
    expect(res.notices[0]).toContain('32 annotations were left out (11 errors, 10 warnings, 11 notices)')
    expect(res.notices[0]).toContain('the job summary, the SARIF file and the JSON report')
    expect(res.notices[0]).toContain('`checks: write`')
  })

  it('leaves the lines the caller reserves out of the budget', async () => {
    const { publish } = await setup({ server: { forbidChecks: true } })
    await publish(report(manyFindings(60)), ctx({ reserved: { error: 0, warning: 3, notice: 2 } }))
    const lines = commandLines()
    const count = (t: string) => lines.filter((l) => l.startsWith(`::${t} file=`)).length
    expect([count('error'), count('warning'), count('notice')]).toEqual([10, 7, 7])
  })

  it('puts findings on lines the PR changed first, so they survive the budget', async () => {
    const patch = '@@ -40,0 +41,2 @@\n+RUN apt-get install -y curl\n+RUN apt-get install -y git'
    const { publish } = await setup({
      server: { forbidChecks: true },
      pullFiles: [{ filename: 'Dockerfile', status: 'modified', patch }]
    })
    const findings = Array.from({ length: 42 }, (_, i) => lint(i + 1, { severity: 'high' }))
    await publish(report(findings), ctx())
    const errors = commandLines().filter((l) => l.startsWith('::error file='))
    expect(errors[0]).toMatch(/^::error file=Dockerfile,line=41,/)
    expect(errors[1]).toMatch(/^::error file=Dockerfile,line=42,/)
  })

  it('groups inherited vulnerabilities into one annotation on the FROM line', async () => {
    const { publish } = await setup()
    const inherited = Array.from({ length: 25 }, (_, i) =>
      vuln(`CVE-2024-${i}`, {
        location: { path: 'Dockerfile', startLine: 1 },
        layer: { digest: 'sha256:base', inherited: true },
        vulnerability: { id: `CVE-2024-${i}`, aliases: [], fixedVersion: i % 5 === 0 ? '9' : undefined }
      })
    )
    await publish(report([...inherited, vuln('CVE-2025-9')]), ctx())
    const annotations = server!.state.checkRuns[0].output.annotations
    expect(annotations).toHaveLength(2)
    const from = annotations.find((a) => a.start_line === 1)!
    expect(from.message).toContain('25 vulnerabilities inherited from debian:12, 5 fixable; upgrade the base')
    expect(annotations.find((a) => a.start_line === 4)!.title).toBe('CVE-2025-9')
  })

  it('writes no annotations with annotations: false', async () => {
    const { publish } = await setup()
    const res = await publish(report(manyFindings(5)), ctx({ annotations: false }))
    expect(res.annotations).toBe('none')
    expect(server!.requests.some((r) => r.path.includes('check-runs'))).toBe(false)
    expect(commandLines().filter((l) => /^::(error|warning) /.test(l))).toEqual([])
  })
})

describe('publish: hostile text and failures', () => {
  it('renders @org/team, <img src=x> and ::set-output harmless in the comment, summary and commands', async () => {
    const { publish, summary } = await setup({ server: { forbidChecks: true } })
    const r = report([lint(3, { severity: 'high', message: HOSTILE, help: HOSTILE })])
    await publish(r, ctx())
    for (const md of [server!.state.comments[0].body, readFileSync(summary, 'utf8')]) {
      expect(md).not.toContain('@org/team')
      expect(md).toContain('@\u200borg/team')
      expect(md).not.toContain('<img')
      expect(md).not.toMatch(/^::/m)
    }
    const lines = commandLines()
    expect(lines.every((l) => /^::(error|warning|notice) file=/.test(l))).toBe(true)
    expect(lines.some((l) => l.startsWith('::set-output'))).toBe(false)
    const err = lines.find((l) => l.startsWith('::error '))!
    expect(err).toContain('%0A::set-output name=x::y%0D%0A::error::fake')
  })

  it('never throws when every API call is refused, and without a token', async () => {
    const { publish } = await setup({ server: { forbidAll: true } })
    const res = await publish(report(manyFindings(3)), ctx())
    expect(res.annotations).toBe('commands')
    expect(res.commentUrl).toBeUndefined()
    expect(res.notices.join('\n')).toContain('No PR comment was written')
    expect(server!.requests.every((r) => r.status === 403)).toBe(true)

    const noToken = await setup()
    const res2 = await noToken.publish(report(manyFindings(3)), ctx({ token: undefined }))
    expect(res2.annotations).toBe('commands')
    expect(res2.notices.join('\n')).toContain('no GitHub token')
    expect(server!.requests).toHaveLength(0)
  })

  it('completes a created check run when adding its annotations fails, with the gate conclusion and a note', async () => {
    const { publish } = await setup({ server: { rejectCheckAnnotations: true } })
    const res = await publish(report(manyFindings(3)), ctx())
    const run = server!.state.checkRuns[0]
    expect(run.status).toBe('completed')
    expect(run.conclusion).toBe('failure')
    expect(run.output.summary).toContain('only 0 annotation(s) could be added to this check run')
    expect(res.annotations).toBe('commands')
    expect(commandLines().filter((l) => /^::(error|warning|notice) file=/.test(l))).toHaveLength(3)
  })

  it('gives up on a GitHub API that never answers, within the request deadline', async () => {
    process.env.SECURE_IMAGE_GITHUB_TIMEOUT_MS = '300'
    try {
      const { publish } = await setup({ server: { hang: true } })
      const started = Date.now()
      const res = await publish(report(manyFindings(2)), ctx())
      expect(Date.now() - started).toBeLessThan(5000)
      expect(res.annotations).toBe('commands')
      expect(res.notices.join('\n')).toContain('No PR comment was written')
      expect(server!.requests.length).toBeGreaterThanOrEqual(2)
    } finally {
      delete process.env.SECURE_IMAGE_GITHUB_TIMEOUT_MS
    }
  }, 15_000)

  it('never throws when the API is unreachable', async () => {
    const { publish } = await setup()
    await server!.close()
    server = undefined
    const res = await publish(report(manyFindings(2)), ctx())
    expect(res.annotations).toBe('commands')
    expect(res.notices.join('\n')).toContain('No PR comment was written')
  })
})
