/**
 * The action: getInputs → pipeline → artifacts → publish → outputs. This is the only place that calls
 * `core.setFailed`.
 */
import * as core from '@actions/core'
import * as github from '@actions/github'
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { INPUT_DEFAULTS, INPUT_NAMES, resolveInputs, type Inputs, type RawInputs } from './inputs.js'
import { runPipeline, wantsPush, type EventInfo, type Logger, type PipelineResult } from './pipeline.js'
import { countFindings } from './findings.js'
import { createEngine } from './docker/engine.js'
import { publish, readChangedLines } from './publish/index.js'
import { toSarif } from './publish/sarif.js'

/** Reads every input; the password and token are masked before anything else runs. */
export function getInputs(): Inputs {
  const password = core.getInput('password')
  const token = core.getInput('github-token')
  if (password) core.setSecret(password)
  if (token) core.setSecret(token)
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) {
    const value = core.getInput(name)
    // The runner fills in action.yml defaults; a value equal to its default counts as "not set", so that the
    // repository config file can set it.
    if (value !== '' && value !== INPUT_DEFAULTS[name]) raw[name] = value
  }
  if (password) raw.password = password
  if (token) raw['github-token'] = token
  return resolveInputs(raw, { cwd: process.env.GITHUB_WORKSPACE ?? process.cwd() })
}

export function eventFromContext(): EventInfo {
  const ctx = github.context
  const pr = ctx.payload.pull_request as
    | {
        number: number
        head?: { repo?: { full_name?: string } }
        base?: { ref?: string; repo?: { full_name?: string } }
      }
    | undefined
  const repository = process.env.GITHUB_REPOSITORY
  const event: EventInfo = {
    eventName: ctx.eventName,
    ref: ctx.ref,
    sha: ctx.sha,
    serverUrl: ctx.serverUrl
  }
  if (repository) event.repository = repository
  if (pr) {
    event.prNumber = pr.number
    const head = pr.head?.repo?.full_name
    const base = pr.base?.repo?.full_name ?? repository
    event.fork = Boolean(head && base && head !== base)
    if (pr.base?.ref) event.baseRef = pr.base.ref
  }
  return event
}

const actionLog: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  group: (name, fn) => core.group(name, fn)
}

export interface Artifacts {
  report: string
  sarif?: string
  sbom?: string
}

/** Writes the JSON report (always), the SARIF and SBOM files (when asked). Paths relative to the workspace. */
export function writeArtifacts(result: PipelineResult, inputs: Inputs, cwd: string): Artifacts {
  const tmp = process.env.RUNNER_TEMP ?? path.join(cwd, '.secure-image')
  const reportPath = inputs['report-file']
    ? path.resolve(cwd, inputs['report-file'])
    : path.join(tmp, 'secure-image-report.json')
  write(reportPath, JSON.stringify(result.report, null, 2) + '\n')
  const out: Artifacts = { report: reportPath }
  if (inputs['sarif-file']) {
    const p = path.resolve(cwd, inputs['sarif-file'])
    write(
      p,
      JSON.stringify(
        toSarif(result.report, { category: sarifCategory(inputs), dockerfilePath: inputs.dockerfile }),
        null,
        2
      ) + '\n'
    )
    out.sarif = p
  }
  if (inputs['sbom-file'] && result.sbom) {
    const p = path.resolve(cwd, inputs['sbom-file'])
    write(p, result.sbom)
    out.sbom = p
  }
  return out
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
}

export function sarifCategory(inputs: Inputs): string {
  return `secure-image/${inputs.image || inputs.dockerfile}`
}

export async function run(): Promise<void> {
  let failure: string | undefined
  try {
    const inputs = getInputs()
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd()
    const event = eventFromContext()
    const decision = wantsPush(inputs, event)
    if (!decision.push) core.info(`no push: ${decision.why}`)
    const engine = createEngine()
    const changed = await readChangedLines(inputs['github-token'])
    const result = await runPipeline(
      inputs,
      event,
      engine,
      actionLog,
      { build: true, push: decision.push, ...(changed ? { diff: changed } : {}) },
      cwd
    )
    for (const w of result.warnings) core.warning(w)
    const baseline = result.report.baseline
    if (baseline && !baseline.found && inputs.baseline !== 'none') {
      core.notice(
        `No baseline to compare with: ${baseline.reason ?? 'none was found'}. Every finding is reported as found.`
      )
    }
    const artifacts = writeArtifacts(result, inputs, cwd)
    const published = await publish(result.report, {
      token: inputs['github-token'],
      image: inputs.image || inputs.dockerfile,
      stepName: 'secure-image',
      annotations: inputs.annotations,
      annotationScope: inputs['annotations-scope'],
      matrix: inputs.matrix,
      ...(changed ? { changed } : {}),
      comment: inputs.comment,
      pushed: result.pushed,
      refs: result.pushedRefs,
      dockerfilePath: inputs.dockerfile,
      reserved: {
        warning: result.warnings.length,
        error: 1,
        notice: baseline && !baseline.found && inputs.baseline !== 'none' ? 1 : 0
      },
      ...(result.baseImage ? { baseImage: result.baseImage } : {})
    })
    for (const n of published.notices) core.notice(n)

    const gate = result.report.gate
    core.setOutput('gate', gate.passed ? 'passed' : 'failed')
    core.setOutput('pushed', result.pushed ? 'true' : 'false')
    core.setOutput('digest', result.pushed ? (result.digest ?? '') : '')
    core.setOutput('image-id', result.imageId ?? '')
    core.setOutput('tags', result.pushedRefs.join('\n'))
    core.setOutput('report', artifacts.report)
    core.setOutput('sarif', artifacts.sarif ?? '')
    core.setOutput('sbom', artifacts.sbom ?? '')
    const counts = countFindings(result.report.findings)
    core.setOutput('findings', JSON.stringify(counts))
    if (!gate.passed) {
      const parts = [...(gate.errors ?? [])]
      if (gate.failing > 0) parts.push(`${gate.failing} finding(s) at or above ${gate.threshold}`)
      failure = `secure-image gate failed: ${parts.join('; ')}`
    }
  } catch (err) {
    failure = (err as Error).message
    if (core.isDebug() && (err as Error).stack) core.debug((err as Error).stack as string)
  }
  if (failure) core.setFailed(failure)
}
