/**
 * The action: getInputs → pipeline → artifacts → publish → outputs. This is the only place that calls
 * `core.setFailed`.
 */
import * as core from '@actions/core'
import * as github from '@actions/github'
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { INPUT_NAMES, resolveInputs, type Inputs, type RawInputs } from './inputs.js'
import { runPipeline, wantsPush, type EventInfo, type Logger, type PipelineResult } from './pipeline.js'
import { countFindings } from './findings.js'
import { createEngine } from './docker/engine.js'
import { pullCredentialSecrets } from './docker/credentials.js'
import { publish, readChangedLines } from './publish/index.js'
import { toSarif } from './publish/sarif.js'
import { secretReason } from './scan/config-checks.js'
import { withCommandsStopped } from './log-guard.js'
import { runVerify, renderVerify } from './sign/command.js'

/** Reads every input; the password and token are masked before anything else runs. */
export function getInputs(): Inputs {
  const password = core.getInput('password')
  const token = core.getInput('github-token')
  const pullCredentials = core.getInput('pull-credentials')
  const signingKey = core.getInput('signing-key')
  maskMultiline(signingKey)
  if (password) core.setSecret(password)
  if (token) core.setSecret(token)
  for (const secret of pullCredentialSecrets(pullCredentials)) core.setSecret(secret)
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) {
    const value = core.getInput(name)
    // Every non-empty input counts as set by the workflow and wins over the config file. The inputs the config
    // file can set have empty action.yml defaults, so "left empty" is what lets the file fill them in.
    if (value !== '') raw[name] = value
  }
  if (password) raw.password = password
  if (pullCredentials) raw['pull-credentials'] = pullCredentials
  if (token) raw['github-token'] = token
  if (signingKey) raw['signing-key'] = signingKey
  const inputs = resolveInputs(raw, { cwd: process.env.GITHUB_WORKSPACE ?? process.cwd() })
  // Build-argument values whose key or value looks like a credential are masked in every log line. (All values
  // are redacted from the image history, and so from every report.)
  for (const [key, value] of Object.entries(inputs['build-args'])) {
    if (value && secretReason(key, value)) core.setSecret(value)
  }
  return inputs
}

/** Masks a secret that may span lines (a PEM key): the runner masks each registered value, so each line too. */
function maskMultiline(secret: string): void {
  if (!secret) return
  core.setSecret(secret)
  for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 8) core.setSecret(line.trim())
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

export const actionLog: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  group: (name, fn) => core.group(name, fn),
  untrusted: (fn) => withCommandsStopped((line) => core.info(line), fn)
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
    if (inputs.mode === 'verify') {
      failure = await verifyMode(inputs, cwd)
      if (failure) core.setFailed(failure)
      return
    }
    const event = eventFromContext()
    const decision = wantsPush(inputs, event)
    if (!decision.push) {
      if (decision.notice) core.notice(`no push: ${decision.why}`)
      else core.info(`no push: ${decision.why}`)
    }
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
    core.setOutput('signature', result.signing?.signature ?? '')
    core.setOutput('attestations', JSON.stringify(result.signing?.attestations ?? []))
    if (result.signingNotice) core.notice(result.signingNotice)
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

/** `mode: verify`: verifies `image` with the trust inputs; returns the failure message, if any. */
async function verifyMode(inputs: Inputs, cwd: string): Promise<string | undefined> {
  const r = await runVerify({
    image: inputs.image,
    keys: inputs['trusted-keys'],
    identities: inputs['trusted-identities'],
    requireGatePassed: inputs['require-gate-passed'],
    auth: { registry: inputs.registry, username: inputs.username, password: inputs.password },
    cwd
  })
  for (const line of renderVerify(r)) core.info(line)
  core.setOutput('verified', r.verified ? 'true' : 'false')
  core.setOutput('digest', r.digest)
  core.setOutput(
    'attestations',
    JSON.stringify(r.attestations.map((a) => ({ predicateType: a.predicateType, digest: a.referrer })))
  )
  return r.verified ? undefined : `${inputs.image} did not verify: ${r.reasons.join('; ')}`
}
