/**
 * Security and correctness of the pipeline against the real engine (both builders) and the real registry: every
 * image here is built by the engine through runPipeline, as the action builds it.
 */
import { describe, it, expect, afterAll, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { createEngine, type Engine } from '../src/docker/engine.js'
import { resolveInputs, type RawInputs } from '../src/inputs.js'
import { runPipeline, type Logger, type PipelineResult } from '../src/pipeline.js'
import { actionLog, writeArtifacts } from '../src/main.js'
import { renderText } from '../src/publish/text.js'
import { renderMarkdown } from '../src/publish/markdown.js'
import { testEnv, uniqueName, untag } from './helpers/testenv.js'
import { registryDigest } from './helpers/registry.js'

const engine = createEngine()
const images: string[] = []
const dirs: string[] = []
afterAll(() => {
  untag(...images)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const quiet: Logger = {
  info: () => {},
  warning: () => {},
  group: (_n, fn) => fn(),
  untrusted: (fn) => fn(() => {})
}

/** A workspace with a Dockerfile and an offline OSV directory holding one npm advisory for left-pad < 1.3.0. */
function workspace(dockerfile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'si-sec-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  mkdirSync(join(dir, 'osv/npm'), { recursive: true })
  writeFileSync(
    join(dir, 'osv/npm/GHSA-si-test-left-pad.json'),
    JSON.stringify({
      id: 'GHSA-si-test-left-pad',
      modified: '2026-01-01T00:00:00Z',
      summary: 'Test advisory for left-pad',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }]
        }
      ]
    })
  )
  return dir
}

async function run(
  dir: string,
  raw: RawInputs,
  opts: { log?: Logger; engine?: Engine; push?: boolean } = {}
): Promise<PipelineResult> {
  const tag = `si-sec-${uniqueName('img')}:t`
  const inputs = resolveInputs({ 'osv-db': 'osv', tags: tag, ...raw }, { cwd: dir })
  const result = await runPipeline(
    inputs,
    { eventName: 'push', ref: 'refs/heads/main', sha: 'f00dfacef00dfacef00dfacef00dfacef00dface' },
    opts.engine ?? engine,
    opts.log ?? quiet,
    { build: true, push: opts.push ?? false },
    dir
  )
  images.push(...result.refs)
  if (result.imageId) images.push(result.imageId)
  return result
}

const SECRET = 'npm_SUPERSECRET0123456789abcdefABCDEF'

describe.each(['classic', 'buildkit'] as const)('build-arg values with the %s builder', (builder) => {
  it('are redacted from every layer created_by: SARIF, the JSON report, the summary and the text output', async () => {
    const dir = workspace(
      [
        'FROM busybox:stable',
        'ARG NPM_TOKEN',
        'ARG MODE=production',
        `RUN mkdir -p /app/node_modules/left-pad && echo '{"name":"left-pad","version":"1.0.0"}' > /app/node_modules/left-pad/package.json`,
        'USER 10001',
        ''
      ].join('\n')
    )
    const result = await run(dir, {
      builder,
      'build-args': `NPM_TOKEN=${SECRET}\nMODE=a value with spaces`,
      'sarif-file': 'out.sarif',
      'report-file': 'report.json'
    })
    expect(result.report.gate.errors ?? []).toEqual([])
    const vuln = result.report.findings.find((f) => f.ruleId === 'GHSA-si-test-left-pad')
    expect(vuln?.location?.startLine).toBe(4)
    const createdBy = vuln?.layer?.createdBy ?? ''
    // BuildKit lists the arguments in declaration order, the classic builder sorted by name.
    expect(createdBy).toMatch(
      /\|2 (NPM_TOKEN=<redacted> MODE=<redacted>|MODE=<redacted> NPM_TOKEN=<redacted>) \/bin\/sh -c mkdir -p \/app/
    )

    const inputs = resolveInputs(
      { 'sarif-file': 'out.sarif', 'report-file': 'report.json', 'osv-db': 'osv' },
      { cwd: dir }
    )
    const files = writeArtifacts(result, inputs, dir)
    const outputs = [
      readFileSync(files.report, 'utf8'),
      readFileSync(files.sarif ?? '', 'utf8'),
      JSON.stringify(result.report),
      renderText(result.report),
      renderMarkdown(result.report, { image: 'x', pushed: false, refs: [], limit: 1_000_000 }),
      result.sbom ?? '',
      JSON.stringify(result.inventory?.layers)
    ]
    expect(readFileSync(files.sarif ?? '', 'utf8')).toContain('NPM_TOKEN=<redacted>')
    for (const text of outputs) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain('a value with spaces')
    }
  }, 180_000)

  it('build output cannot issue workflow commands through the action log', async () => {
    const dir = workspace(
      [
        'FROM busybox:stable',
        'RUN echo "::error file=Dockerfile,line=1::forged by the build" && echo "::add-mask::busybox" && echo "::stop-commands::guess"',
        'USER 10001',
        ''
      ].join('\n')
    )
    const out: string[] = []
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    })
    try {
      await run(dir, { builder, 'no-cache': 'true' }, { log: actionLog })
    } finally {
      spy.mockRestore()
    }
    const stdout = out.join('')
    expect(stdout).toContain('forged by the build')
    const commands = runnerCommands(stdout)
    expect(commands.filter((c) => c.includes('forged by the build'))).toEqual([])
    expect(commands.filter((c) => c.startsWith('::add-mask::'))).toEqual([])
    // The action's own commands are still read: the build's group is closed.
    expect(commands).toContain('::endgroup::')
  }, 180_000)
})

/**
 * The workflow commands a GitHub runner would act on in this output: a line that starts (after blanks) with
 * `::name …::`, except what is between `::stop-commands::TOKEN` and `::TOKEN::`.
 */
function runnerCommands(stdout: string): string[] {
  const out: string[] = []
  let stopped: string | undefined
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimStart()
    if (stopped !== undefined) {
      if (line === `::${stopped}::`) stopped = undefined
      continue
    }
    const m = /^::([A-Za-z-]+)( [^:]*)?::(.*)$/.exec(line)
    if (!m) continue
    if (m[1] === 'stop-commands') stopped = m[3]
    else out.push(line)
  }
  return out
}

describe('the built stage', () => {
  it('with target, attributes layers and runs the config checks on the target stage, not the last one', async () => {
    const dir = workspace(
      [
        'FROM busybox:stable AS app',
        'RUN mkdir -p /opt/bin && cp /bin/busybox /opt/bin/helper && chmod u+s /opt/bin/helper',
        'USER 10001',
        'FROM debian:bookworm AS other',
        'CMD ["true"]',
        ''
      ].join('\n')
    )
    const result = await run(dir, { target: 'app' })
    expect(result.report.gate.errors ?? []).toEqual([])
    const layers = result.inventory?.layers ?? []
    expect(layers.filter((l) => !l.inherited).map((l) => l.location?.startLine)).toEqual([2])
    expect(layers.filter((l) => l.inherited).every((l) => l.location?.startLine === 1)).toBe(true)
    const setuid = result.report.findings.filter((f) => f.ruleId === 'SI3005')
    expect(setuid.map((f) => [f.imagePath, f.location?.startLine])).toEqual([['/opt/bin/helper', 2]])
  }, 180_000)

  it('reports no SI3005 for a setuid bit a later RUN chmod u-s cleared, and still reports the one it kept', async () => {
    const dir = workspace(
      [
        'FROM busybox:stable',
        'RUN mkdir -p /opt/bin && cp /bin/busybox /opt/bin/kept && cp /bin/busybox /opt/bin/cleared && chmod u+s /opt/bin/kept /opt/bin/cleared',
        'RUN chmod u-s /opt/bin/cleared',
        'USER 10001',
        ''
      ].join('\n')
    )
    const result = await run(dir, {})
    expect(result.report.gate.errors ?? []).toEqual([])
    const setuid = result.report.findings.filter((f) => f.ruleId === 'SI3005')
    expect(setuid.map((f) => f.imagePath)).toEqual(['/opt/bin/kept'])
  }, 180_000)
})

describe('scan-failure: warn', () => {
  const dockerfile = [
    'FROM busybox:stable',
    `RUN mkdir -p /app/node_modules/left-pad && echo '{"name":"left-pad","version":"1.0.0"}' > /app/node_modules/left-pad/package.json`,
    'RUN echo "aws_access_key_id = AKIAZ7QWERTYUIOP1234" > /app/credentials',
    'USER 10001',
    ''
  ].join('\n')

  it('relaxes the OSV lookup only: the secret check still runs and gates', async () => {
    const dir = workspace(dockerfile)
    const result = await run(dir, {
      'scan-failure': 'warn',
      'osv-db': '',
      'osv-api-url': 'http://127.0.0.1:9'
    })
    expect(result.warnings.join('\n')).toMatch(/the scan could not run: cannot reach the OSV API/)
    expect(result.report.gate.errors ?? []).toEqual([])
    expect(result.report.findings.some((f) => f.category === 'secret')).toBe(true)
    expect(result.report.gate.passed).toBe(false)
  }, 180_000)

  it('does not relax a failure to read the image: the gate fails closed', async () => {
    const dir = workspace(dockerfile)
    // The real engine, with its export cut short after 64 KiB, as a dropped connection would.
    const cut: Engine = Object.assign(Object.create(engine) as Engine, {
      exportImage: async (ref: string): Promise<NodeJS.ReadableStream> => {
        const whole = await engine.exportImage(ref)
        const out = new PassThrough()
        let sent = 0
        whole.on('data', (c: Buffer) => {
          if (sent < 65536) out.write(c.subarray(0, 65536 - sent))
          sent += c.length
          if (sent >= 65536) {
            ;(whole as unknown as { destroy(): void }).destroy()
            out.end()
          }
        })
        whole.on('end', () => out.end())
        return out
      }
    })
    const result = await run(dir, { 'scan-failure': 'warn' }, { engine: cut })
    expect(result.report.gate.passed).toBe(false)
    expect((result.report.gate.errors ?? []).join('\n')).toMatch(/the image could not be read for the scan/)
  }, 180_000)
})

describe('the SBOM of a pushed image', () => {
  it('is written after the push and names the pushed digest as pkg:oci', async () => {
    const env = testEnv()
    const repo = `sec/${uniqueName('sbom')}`
    const dir = workspace('FROM busybox:stable\nUSER 10001\n')
    const result = await run(
      dir,
      {
        image: `${env.registry}/${repo}`,
        tags: 't1',
        push: 'true',
        registry: env.registry,
        username: env.username,
        password: env.password
      },
      { push: true }
    )
    expect(result.pushed).toBe(true)
    const digest = (await registryDigest(env, repo, 't1')) ?? 'none'
    expect(result.digest).toBe(digest)
    const bom = JSON.parse(result.sbom ?? '{}') as {
      metadata: { component: { purl?: string; version?: string } }
    }
    expect(bom.metadata.component.purl).toBe(
      `pkg:oci/${repo.split('/')[1]}@${encodeURIComponent(digest)}?repository_url=${encodeURIComponent(`${env.registry}/${repo}`).replace(/%2F/g, '/')}`
    )
    expect(bom.metadata.component.version).toBe(digest)
  }, 180_000)
})
