/**
 * The stages in order: lint → policy → build → provenance → scan → ignores → smoke test → baseline → gate → push.
 * Every stage returns findings of the one `Finding` type. Nothing is pushed unless the gate passed, and what is
 * pushed is the image ID that was scanned. A stage that cannot run records an error, and the gate fails closed.
 */
import { readFileSync, existsSync } from 'node:fs'
import * as path from 'node:path'
import { parseDockerfile, type DockerfileModel } from './dockerfile/parse.js'
import { evaluateGate, type Finding, type GateResult, type Report, type Thresholds } from './findings.js'
import type { Inputs } from './inputs.js'
import { VERSION } from './version.js'
import { lintDockerfile } from './lint/engine.js'
import { findHadolintConfig, loadHadolintConfig, type HadolintConfig } from './lint/config.js'
import { checkPolicy } from './policy/check.js'
import {
  checkProvenance,
  finalBaseReference,
  namesToVerify,
  type BaseImageInfo
} from './policy/provenance.js'
import type { Engine, EngineInfo } from './docker/engine.js'
import { headManifestDigest } from './docker/registry.js'
import { credentialsFor } from './docker/credentials.js'
import type { RegistryAuth } from './docker/registry.js'
import { listContextFiles } from './docker/context.js'
import { computeTags, ociLabels } from './docker/tags.js'
import { scanImageStream } from './scan/index.js'
import { matchVulnerabilities } from './scan/match.js'
import { assessCoverage, newMatchCoverage } from './scan/coverage.js'
import { createApiSource, createOfflineSource, type OsvSource } from './scan/osv/index.js'
import { applyIgnores, loadIgnoreFiles, type IgnoreEntry } from './scan/ignores.js'
import { toCycloneDx } from './scan/sbom.js'
import { builtStage } from './scan/attribution.js'
import type { Inventory } from './scan/types.js'
import { checkSignedBases, pinnedBaseFindings } from './policy/signed-base.js'
import { signStage } from './sign/stage.js'
import type { SigningResult } from './sign/index.js'
import { countBaseline, gateView, runBaselineStage, type DiffView } from './baseline/index.js'

export interface EventInfo {
  eventName: string
  ref: string
  sha: string
  prNumber?: number
  /** The pull request comes from a fork (read-only token, no secrets). */
  fork?: boolean
  repository?: string
  serverUrl?: string
  /** The pull request's base branch (`pull_request.base.ref`), for the baseline. */
  baseRef?: string
}

export interface Logger {
  info(message: string): void
  warning(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  /**
   * Runs `fn` with a writer for text that came from the build, the base image or the registry (RUN output, pull
   * and push status). That text is untrusted: the logger must make sure that none of it is read as a workflow
   * command (see log-guard.ts).
   */
  untrusted<T>(fn: (write: (line: string) => void) => Promise<T>): Promise<T>
}

export interface PipelineOptions {
  /** Build, scan and push (the action, `secure-image run`); false stops after lint and policy. */
  build: boolean
  /** Whether a push is wanted at all (already decided from the `push` input and the event). */
  push: boolean
  now?: Date
  /** The pull request's changed lines, for classifying Dockerfile findings against the baseline. */
  diff?: DiffView
}

export interface PipelineResult {
  report: Report
  model: DockerfileModel
  refs: string[]
  pushedRefs: string[]
  pushed: boolean
  digest?: string
  imageId?: string
  inventory?: Inventory
  sbom?: string
  warnings: string[]
  /** The external image the final stage sits on, for grouping inherited findings. */
  baseImage?: string
  /** The signature and attestations attached to the pushed digest. */
  signing?: SigningResult
  /** Why the pushed image was not signed (a notice, not a failure). */
  signingNotice?: string
}

/** What one run carries from stage to stage. */
interface Run {
  inputs: Inputs
  event: EventInfo
  engine: Engine
  log: Logger
  options: PipelineOptions
  cwd: string
  model: DockerfileModel
  tagging: { refs: string[]; pushable: boolean }
  result: PipelineResult
  /** Checks that could not run: each one fails the gate closed. */
  errors: string[]
  warnings: string[]
  thresholds: Thresholds
  ignores: IgnoreEntry[]
  /** The external image the final stage sits on; undefined for scratch. */
  base?: { ref: string; line: number }
  now: Date
  /** Base images whose signatures verified (require-signed-base): image as written → verified digest. */
  verifiedBases?: Map<string, string>
  /** True once the image's packages were matched against OSV: only then can it be compared with a baseline. */
  scanned?: boolean
}

/** Whether `push` (auto/true/false), the event and the config's push rules ask for a push. */
export function wantsPush(
  inputs: Inputs,
  event: EventInfo
): { push: boolean; why: string; notice?: boolean } {
  if (inputs.push === 'false') return { push: false, why: 'push is false' }
  if (event.eventName === 'pull_request' || event.eventName === 'pull_request_target') {
    return { push: false, why: 'pull request builds are never pushed' }
  }
  // An empty `image` builds a local image (action.yml); with `push: auto` that is a build-and-scan run.
  if (inputs.push === 'auto' && !inputs.image && inputs.tags.length === 0) {
    return {
      push: false,
      why: 'no "image" (or full-ref "tags") names a repository, so the image is built and scanned locally and not pushed',
      notice: true
    }
  }
  if (inputs.push === 'auto') {
    const pushEvents = ['push', 'release', 'schedule', 'workflow_dispatch']
    if (!pushEvents.includes(event.eventName))
      return { push: false, why: `push: auto does not push on ${event.eventName} events` }
  }
  const rules = inputs.repoConfig?.push
  if (rules && event.ref) {
    const branch = event.ref.startsWith('refs/heads/') ? event.ref.slice('refs/heads/'.length) : undefined
    const tag = event.ref.startsWith('refs/tags/') ? event.ref.slice('refs/tags/'.length) : undefined
    const ok =
      (branch !== undefined &&
        rules.branches !== undefined &&
        rules.branches.some((p) => globMatch(p, branch))) ||
      (tag !== undefined && rules.tags !== undefined && rules.tags.some((p) => globMatch(p, tag))) ||
      (branch !== undefined && rules.branches === undefined) ||
      (tag !== undefined && rules.tags === undefined)
    if (!ok) return { push: false, why: `the config file's push rules do not allow ${event.ref}` }
  }
  return { push: true, why: '' }
}

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$'
  )
  return re.test(value)
}

/** Reads and parses the Dockerfile; a missing or unreadable file is an error that names it. */
export function readDockerfile(inputs: Inputs, cwd: string): DockerfileModel {
  const file = path.resolve(cwd, inputs.dockerfile)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(
      `cannot read the Dockerfile ${inputs.dockerfile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err }
    )
  }
  return parseDockerfile(text, inputs.dockerfile)
}

/** The hadolint config: the `.hadolint.yaml` of the context or the repo root, merged with the config file's `lint`. */
export function lintConfig(inputs: Inputs, cwd: string): HadolintConfig | undefined {
  const found = findHadolintConfig([path.resolve(cwd, inputs.context), cwd])
  let config = found ? loadHadolintConfig(found) : undefined
  const extra = inputs.repoConfig?.lint
  if (extra) {
    const base: HadolintConfig = config ?? {
      ignored: [],
      override: { error: [], warning: [], info: [], style: [] },
      trustedRegistries: [],
      labelSchema: {},
      strictLabels: false
    }
    config = {
      ...base,
      ignored: [...base.ignored, ...extra.ignored],
      override: {
        error: [...base.override.error, ...extra.override.error],
        warning: [...base.override.warning, ...extra.override.warning],
        info: [...base.override.info, ...extra.override.info],
        style: [...base.override.style, ...extra.override.style]
      },
      trustedRegistries: [...base.trustedRegistries, ...(extra.trustedRegistries ?? [])]
    }
  }
  return config
}

/** Runs the whole pipeline. Throws only for bad input; a stage that fails is recorded and fails the gate. */
export async function runPipeline(
  inputs: Inputs,
  event: EventInfo,
  engine: Engine | undefined,
  log: Logger,
  options: PipelineOptions,
  cwd = process.cwd()
): Promise<PipelineResult> {
  const errors: string[] = []
  const warnings: string[] = []
  const findings: Finding[] = []
  const buildArgs = new Map(Object.entries(inputs['build-args']))
  const model = readDockerfile(inputs, cwd)
  const contextDir = path.resolve(cwd, inputs.context)
  if (!existsSync(contextDir)) throw new Error(`the build context ${inputs.context} does not exist`)
  const hadolint = lintConfig(inputs, cwd)
  const thresholds = gateThresholds(inputs, hadolint)
  const ignores = collectIgnores(inputs, cwd, warnings)
  const now = options.now ?? new Date()

  // Tags first: an invalid tag is bad input and must fail before any work.
  const tagging = computeTags({
    image: inputs.image || defaultImageName(event),
    tags: inputs.tags,
    event: { eventName: event.eventName, ref: event.ref, sha: event.sha, prNumber: event.prNumber }
  })

  await log.group('Lint', async () => {
    const contextFiles = await listContextFiles(contextDir, path.resolve(cwd, inputs.dockerfile)).catch(
      () => undefined
    )
    const lint = await lintDockerfile(model, {
      config: hadolint,
      contextFiles,
      shellcheck: true,
      log: (m) => log.warning(m)
    })
    findings.push(...lint)
    log.info(`${lint.filter((f) => !f.suppressed).length} lint finding(s)`)
  })

  const policy = await log.group('Policy: approved registries', async () => {
    const found = checkPolicy(model, {
      allowedRegistries: inputs['allowed-registries'],
      requireDigest: inputs['require-digest'],
      buildArgs
    })
    findings.push(...found)
    log.info(`${found.length} policy finding(s); allowed: ${inputs['allowed-registries'].join(', ')}`)
    return found
  })

  let verifiedBases: Map<string, string> | undefined
  if (inputs['require-signed-base']) {
    await log.group('Policy: signed base images', async () => {
      const signed = await checkSignedBases(model, {
        trustedKeys: inputs['trusted-keys'],
        trustedIdentities: inputs['trusted-identities'],
        buildArgs,
        auth: { registry: inputs.registry, username: inputs.username, password: inputs.password },
        cwd,
        log: (l) => log.info(l)
      })
      policy.push(...signed.findings)
      findings.push(...signed.findings)
      verifiedBases = signed.verified
      log.info(`${signed.verified.size} image(s) verified, ${signed.findings.length} refused`)
    })
  }

  const result: PipelineResult = {
    report: { tool: { name: 'secure-image', version: VERSION }, findings, gate: evaluateGate([], 'high') },
    model,
    refs: tagging.refs,
    pushedRefs: [],
    pushed: false,
    warnings
  }
  const base = finalBaseReference(model, buildArgs, inputs.target || undefined)
  if (base) result.baseImage = base.ref

  // A policy finding that an ignore entry covers does not block the build.
  const blockedByPolicy = applyIgnores(policy, ignores, now).findings.some(
    (f) => !f.suppressed && f.severity === 'critical'
  )
  if (options.build && engine && blockedByPolicy) {
    errors.push('the build did not run: a base image is not approved (see the policy findings)')
  } else if (options.build && engine) {
    const run: Run = {
      inputs,
      event,
      engine,
      log,
      options,
      cwd,
      model,
      tagging,
      result,
      errors,
      warnings,
      thresholds,
      ignores,
      now
    }
    if (base) run.base = base
    if (verifiedBases) run.verifiedBases = verifiedBases
    await buildScanAndPush(run)
  }

  const applied = ignoreThenDropRestated(findings, ignores, now)
  for (const w of applied.warnings) warnings.push(w)
  result.report.findings = applied.findings
  // Ignored findings are not counted as new or old (they are listed as ignored).
  const compared = result.report.baseline
  if (compared?.found) compared.counts = countBaseline(applied.findings, result.report.fixed)
  // The gate is evaluated before the push inside buildScanAndPush; evaluate it again over the final list so the
  // report always shows the verdict that was applied.
  result.report.gate = gate(applied.findings, inputs, result, thresholds, errors)
  return result
}

async function buildScanAndPush(run: Run): Promise<void> {
  const { inputs, event, engine, log, options, cwd, model, tagging, result, errors, warnings, thresholds } =
    run
  const findings = result.report.findings
  const labels = { ...ociLabels(githubLabelContext(event, inputs)), ...inputs.labels }
  let info: EngineInfo
  try {
    info = await engine.info()
    log.info(
      `Docker engine ${info.serverVersion} (API ${info.apiVersion}), ${info.imageStore === 'containerd' ? 'containerd image store' : `${info.storageDriver} storage`}${info.buildkit ? ', BuildKit available' : ''}`
    )
  } catch (err) {
    errors.push((err as Error).message)
    return
  }
  // The provenance check inspects the base in the engine's image store; a BuildKit build on older engines does
  // not leave a pulled base there, so pull it first when it is missing.
  const finalBase = run.base
  const credentials = pullCredentials(inputs)
  const platform = inputs.platform ? { platform: inputs.platform } : {}
  const present = finalBase
    ? await engine.inspectImage(finalBase.ref, platform).catch(() => undefined)
    : undefined
  if (finalBase && !(present && onPlatform(present, inputs.platform))) {
    await log.group(`Pull ${finalBase.ref}`, () =>
      log
        .untrusted((write) =>
          engine.pullImage(finalBase.ref, write, {
            ...(inputs.platform ? { platform: inputs.platform } : {}),
            credentials
          })
        )
        .catch((err: Error) => log.warning(err.message))
    )
  }
  if (finalBase && run.verifiedBases) {
    const local = await engine.inspectImage(finalBase.ref).catch(() => undefined)
    const pinned = pinnedBaseFindings(
      finalBase,
      run.verifiedBases.get(finalBase.ref),
      local?.RepoDigests,
      model.path
    )
    if (pinned.length > 0) {
      findings.push(...pinned)
      errors.push('the build did not run: the base image in the engine is not the verified digest')
      return
    }
  }
  let imageId: string
  try {
    imageId = await log.group('Build', async () => {
      const built = await log.untrusted((write) =>
        engine.build(
          {
            contextDir: path.resolve(cwd, inputs.context),
            dockerfile: path.resolve(cwd, inputs.dockerfile),
            tags: tagging.refs,
            buildArgs: inputs['build-args'],
            ...(inputs.target ? { target: inputs.target } : {}),
            labels,
            noCache: inputs['no-cache'],
            pull: inputs.pull,
            ...(inputs.platform ? { platform: inputs.platform } : {}),
            cacheFrom: inputs['cache-from'],
            builder: inputs.builder,
            credentials
          },
          write
        )
      )
      return built.imageId
    })
  } catch (err) {
    const message = (err as Error).message
    errors.push(/^the build failed/.test(message) ? message : `the build failed: ${message}`)
    return
  }
  result.imageId = imageId
  result.report.image = { ref: tagging.refs[0] ?? imageId, id: imageId, tags: tagging.refs }
  log.info(`built ${imageId}`)

  await log.group('Provenance: the built image sits on the approved base', async () => {
    const base = finalBase
    if (!base) {
      log.info('the final stage starts from scratch: no base image to check')
      return
    }
    try {
      const built = await engine.inspectImage(imageId)
      const baseInspect = await engine.inspectImage(base.ref, platform)
      if (!built) throw new Error(`the built image ${imageId} is gone`)
      const baseInfo = baseInspect
        ? {
            id: baseInspect.Id,
            repoTags: baseInspect.RepoTags ?? [],
            repoDigests: baseInspect.RepoDigests ?? [],
            layers: baseInspect.RootFS?.Layers ?? []
          }
        : undefined
      const found = checkProvenance({
        built: { layers: built.RootFS?.Layers ?? [] },
        base: baseInfo,
        expected: base.ref,
        line: base.line,
        path: model.path,
        allowedRegistries: inputs['allowed-registries'],
        store: info.imageStore,
        ...(baseInfo && info.imageStore === 'containerd'
          ? { registryEvidence: await registryEvidence(baseInfo, inputs['allowed-registries'], credentials) }
          : {})
      })
      result.report.findings.push(...found)
      log.info(found.length === 0 ? `the image sits on ${base.ref}` : `${found.length} provenance finding(s)`)
    } catch (err) {
      errors.push(`the provenance check could not run: ${(err as Error).message}`)
    }
  })

  await log.group('Scan', async () => {
    // Reading the image, the secret and the config checks always fail the gate closed when they cannot run;
    // `scan-failure: warn` relaxes only the vulnerability lookup (an unreachable OSV API).
    let scan: Awaited<ReturnType<typeof scanImageStream>>
    try {
      const stream = await engine.exportImage(imageId)
      scan = await scanImageStream(stream, {
        model,
        dockerfilePath: model.path,
        buildArgs: inputs['build-args'],
        ...(inputs.target ? { target: inputs.target } : {})
      })
    } catch (err) {
      errors.push(`the image could not be read for the scan: ${(err as Error).message}`)
      return
    }
    result.inventory = scan.inventory
    findings.push(...scan.findings)
    for (const w of scan.warnings ?? []) log.warning(w)
    const os = scan.inventory.os
    log.info(
      `${scan.inventory.packages.length} package(s)${os ? ` on ${os.prettyName ?? os.id}` : ''}; ${scan.findings.length} secret/config finding(s)`
    )
    result.sbom = toCycloneDx(scan.inventory, { ref: tagging.refs[0] ?? imageId, id: imageId })
    try {
      const source = osvSource(inputs, cwd)
      const checked = newMatchCoverage()
      const vulns = await matchVulnerabilities(scan.inventory.packages, source, {
        ignoreUnfixed: inputs['ignore-unfixed'],
        unknownSeverity: inputs['unknown-severity'],
        ...(scan.inventory.os ? { os: scan.inventory.os } : {}),
        coverage: checked
      })
      findings.push(...vulns)
      run.scanned = true
      log.info(`${vulns.length} vulnerability finding(s)`)
      const finalFrom = model.stages[model.stages.length - 1]?.from.startLine
      const coverage = assessCoverage(scan.inventory, checked, {
        ...(finalFrom ? { osLocation: { path: model.path, startLine: finalFrom } } : {})
      })
      result.report.coverage = coverage.coverage
      findings.push(...coverage.findings)
      for (const f of coverage.findings) log.info(`not checked: ${f.message}`)
    } catch (err) {
      const message = `the scan could not run: ${(err as Error).message}`
      if (inputs['scan-failure'] === 'warn') {
        warnings.push(message)
        log.warning(message)
      } else {
        errors.push(message)
      }
    }
  })

  if (inputs['smoke-test']) {
    await log.group('Smoke test (least privilege)', async () => {
      try {
        const smoke = await engine.smokeTest(imageId, { seconds: inputs['smoke-test-seconds'] })
        // The reason can carry the engine's error text for the container: untrusted.
        await log.untrusted(async (write) => write(smoke.reason))
        if (!smoke.passed) {
          const finalStage = builtStage(model, inputs.target || undefined)
          findings.push({
            category: 'config',
            ruleId: 'SI4001',
            severity: 'high',
            message: `the image does not work with least privilege: ${smoke.reason}${smoke.logs.length ? `; last log lines: ${smoke.logs.slice(-5).join(' | ')}` : ''}`,
            help: 'Make the image run as a non-root USER with a read-only root filesystem (write only to /tmp or volumes), no added capabilities and no network at start.',
            ...(finalStage ? { location: { path: model.path, startLine: finalStage.from.startLine } } : {})
          })
        }
      } catch (err) {
        errors.push(`the smoke test could not run: ${(err as Error).message}`)
      }
    })
  }

  // The gate, on everything known before the push.
  await log.group('Baseline', () => baselineStage(run))
  const gateFindings = ignoreThenDropRestated(findings, run.ignores, run.now).findings
  const verdict = gate(gateFindings, inputs, result, thresholds, errors)
  if (!verdict.passed) {
    log.info(
      `gate failed (${verdict.failing} finding(s) at or above the threshold${errors.length ? `, ${errors.length} check(s) could not run` : ''}): nothing is pushed`
    )
    return
  }
  if (!options.push) return
  if (!tagging.pushable) {
    warnings.push('nothing to push: pull request tags are never pushed')
    return
  }
  if (!inputs.image && inputs.tags.length === 0) {
    errors.push('push was requested but neither "image" nor "tags" names where to push')
    return
  }
  await log.group('Push', async () => {
    try {
      const pushed = await log.untrusted((write) =>
        engine.push(
          imageId,
          tagging.refs,
          { registry: inputs.registry, username: inputs.username, password: inputs.password },
          write
        )
      )
      result.pushedRefs = pushed.refs
      result.digest = pushed.digest
      result.pushed = pushed.refs.length === tagging.refs.length && Boolean(pushed.digest)
      if (result.report.image) result.report.image.digest = pushed.digest
      log.info(`pushed ${pushed.refs.join(', ')} (${pushed.digest})`)
      // The SBOM is written after the push, so that it names what the registry holds.
      if (result.inventory && pushed.digest && pushed.refs[0]) {
        result.sbom = toCycloneDx(result.inventory, {
          ref: pushed.refs[0],
          id: imageId,
          digest: pushed.digest
        })
      }
    } catch (err) {
      errors.push(`the push failed: ${(err as Error).message}`)
    }
  })
  if (result.pushed && result.digest) {
    const digest = result.digest
    await log.group('Sign and attest', async () => {
      const signed = await signStage({
        inputs,
        report: { ...result.report, gate: verdict, findings: gateFindings },
        refs: result.pushedRefs,
        digest,
        ...(result.sbom ? { sbom: result.sbom } : {}),
        thresholds,
        ignores: run.ignores,
        log
      })
      if (signed.signing) result.signing = signed.signing
      if (signed.notice) result.signingNotice = signed.notice
      if (signed.error) errors.push(signed.error)
    })
  }
}

/** What the registries of the base's allowed names serve for them (the containerd store's only evidence). */
async function registryEvidence(
  base: BaseImageInfo,
  allowedRegistries: string[],
  credentials: RegistryAuth[]
): Promise<{ name: string; digest?: string; error?: string }[]> {
  return Promise.all(
    namesToVerify(base, allowedRegistries).map(async (name) => {
      try {
        return { name, digest: await headManifestDigest(name, credentialsFor(name, credentials)) }
      } catch (err) {
        return { name, error: (err as Error).message }
      }
    })
  )
}

/** Whether the engine's image is for `platform` (`os/arch[/variant]`); any image is when none is asked. */
function onPlatform(image: { Os: string; Architecture: string }, platform: string): boolean {
  if (!platform) return true
  const [os, arch] = platform.split('/')
  return image.Os === os && image.Architecture === arch
}

/** The credentials for base-image pulls: the push credentials for their registry, then `pull-credentials`. */
function pullCredentials(inputs: Inputs): RegistryAuth[] {
  const push: RegistryAuth[] = inputs.password
    ? [{ registry: inputs.registry, username: inputs.username, password: inputs.password }]
    : []
  return [...push, ...inputs['pull-credentials']]
}

/**
 * Applies the ignores, then drops restated findings. In this order an ignored lint finding (DL3002, SI1001,
 * SI1007) no longer counts as the statement of the cause, so the image-level finding it would restate stays.
 */
export function ignoreThenDropRestated(
  findings: Finding[],
  ignores: IgnoreEntry[],
  now: Date
): { findings: Finding[]; warnings: string[] } {
  const applied = applyIgnores(findings, ignores, now)
  dropRestatedFindings(applied.findings)
  return applied
}

/**
 * Image-config findings that restate a lint finding about the same cause (no USER → runs as root; EXPOSE 22 →
 * SSH exposed) are dropped, so reviewers see each problem once, on its Dockerfile line. The image-level check
 * still reports them when the Dockerfile does not show the cause (e.g. a base image that runs as root).
 */
export function dropRestatedFindings(findings: Finding[]): void {
  const restates: Record<string, string[]> = { SI3001: ['SI1001', 'DL3002'], SI3004: ['SI1007'] }
  const lint = new Set(findings.filter((f) => f.category === 'lint' && !f.suppressed).map((f) => f.ruleId))
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i]
    if (f.category === 'config' && restates[f.ruleId]?.some((id) => lint.has(id))) findings.splice(i, 1)
  }
}

/**
 * The gate's thresholds: `severity-threshold` (one value, or per category from the config file), with the lint
 * category taking `.hadolint.yaml`'s `failure-threshold` unless the config file names a lint threshold itself.
 */
export function gateThresholds(inputs: Inputs, hadolint: HadolintConfig | undefined): Thresholds {
  const base = inputs['severity-threshold']
  const failure = hadolint?.failureThreshold
  if (!failure) return base
  if (typeof base === 'string') return { default: base, lint: failure }
  return base.lint ? base : { ...base, lint: failure }
}

/** The gate over the findings `fail-on` selects; `failOn` is recorded when only new findings gated. */
function gate(
  findings: Finding[],
  inputs: Inputs,
  result: PipelineResult,
  thresholds: Thresholds,
  errors: string[]
): GateResult {
  const failOn = inputs['fail-on']
  const verdict = evaluateGate(
    gateView(findings, failOn, Boolean(result.report.baseline?.found)),
    thresholds,
    errors
  )
  if (failOn === 'new') verdict.failOn = result.report.baseline?.found ? 'new' : 'all'
  return verdict
}

/** Compares the scanned image with its baseline (see src/baseline/); records the outcome in the report. */
async function baselineStage(run: Run): Promise<void> {
  const { inputs, event, engine, result, log, cwd } = run
  const base = run.base ? await engine.inspectImage(run.base.ref).catch(() => undefined) : undefined
  const out = await runBaselineStage({
    baseline: inputs.baseline,
    // Without `image` nothing is published under a name of ours: a default name could be someone else's image.
    image: inputs.image,
    tags: inputs.tags,
    event,
    findings: result.report.findings,
    scanned: run.scanned === true,
    ...(run.options.diff ? { diff: run.options.diff } : {}),
    ...(inputs.username && inputs.password
      ? { auth: { registry: inputs.registry, username: inputs.username, password: inputs.password } }
      : {}),
    source: osvSource(inputs, cwd),
    ignoreUnfixed: inputs['ignore-unfixed'],
    unknownSeverity: inputs['unknown-severity'],
    ...(inputs.platform ? { platform: inputs.platform } : {}),
    ...(run.base ? { base: { ref: run.base.ref, repoDigests: base?.RepoDigests ?? [] } } : {}),
    trust: {
      keys: inputs['trusted-keys'],
      identities: inputs['trusted-identities'],
      signingKey: inputs['signing-key'],
      cwd
    },
    log: (line) => log.info(line)
  })
  // `baseline: none` turns the comparison off: the report does not mention it (the advice still applies).
  if (inputs.baseline !== 'none') result.report.baseline = out.info
  if (out.fixed) result.report.fixed = out.fixed
  if (out.advice) result.report.advice = out.advice
}

function osvSource(inputs: Inputs, cwd: string): OsvSource {
  return inputs['osv-db']
    ? createOfflineSource(path.resolve(cwd, inputs['osv-db']))
    : createApiSource(inputs['osv-api-url'], osvApiOptions())
}

/** Advanced tuning of the OSV API client through the environment (timeouts on slow networks, tests). */
export function osvApiOptions(env: NodeJS.ProcessEnv = process.env): {
  timeoutMs?: number
  retries?: number
} {
  const out: { timeoutMs?: number; retries?: number } = {}
  const timeout = Number(env.SECURE_IMAGE_OSV_TIMEOUT_MS)
  const retries = Number(env.SECURE_IMAGE_OSV_RETRIES)
  if (Number.isInteger(timeout) && timeout > 0) out.timeoutMs = timeout
  if (Number.isInteger(retries) && retries >= 0) out.retries = retries
  return out
}

function collectIgnores(inputs: Inputs, cwd: string, warnings: string[]): IgnoreEntry[] {
  const entries: IgnoreEntry[] = []
  for (const e of inputs.repoConfig?.ignore ?? []) {
    entries.push({ ...e, source: inputs.repoConfig?.file ?? inputs.config, fromConfig: true })
  }
  try {
    entries.push(...loadIgnoreFiles(cwd))
    const ctx = path.resolve(cwd, inputs.context)
    if (ctx !== path.resolve(cwd)) entries.push(...loadIgnoreFiles(ctx))
  } catch (err) {
    warnings.push(`an ignore file could not be read: ${(err as Error).message}`)
  }
  return entries
}

function defaultImageName(event: EventInfo): string {
  const repo = (event.repository ?? path.basename(process.cwd())).toLowerCase().replace(/[^a-z0-9._/-]/g, '-')
  return repo || 'secure-image-local'
}

function githubLabelContext(event: EventInfo, inputs: Inputs) {
  return {
    repository: event.repository,
    serverUrl: event.serverUrl ?? 'https://github.com',
    sha: event.sha,
    ref: event.ref,
    title: inputs.image ? inputs.image.split('/').pop() : event.repository?.split('/').pop()
  }
}
