/**
 * `secure-image`: the same pipeline as the action, run locally. Exit codes: 0 the gate passed, 1 it failed,
 * 2 usage or runtime error (one line on stderr; the stack only with --debug).
 */
import { Command, CommanderError, Option } from 'commander'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import * as path from 'node:path'
import type { Readable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { VERSION } from './version.js'
import {
  evaluateGate,
  isSeverity,
  type Finding,
  type Report,
  type Severity,
  type Thresholds
} from './findings.js'
import { parseRef } from './docker/tags.js'
import { withCommandsStopped } from './log-guard.js'
import type { RawInputs } from './inputs.js'
import type { Logger } from './pipeline.js'
import type { OsvSource } from './scan/osv/types.js'

// A scan streams gigabytes through short-lived buffers and strings. V8 doubles its young generation whenever
// enough of it survives, up to 16 MiB per semi-space: 25-35 MiB of a scan's peak RSS (bench/scan.mjs). Held
// at its first size, the scan stays within its memory bound at no measurable CPU cost. The flag
// is read when the young generation would grow, so setting it here still applies.
setFlagsFromString('--semi-space-growth-factor=1')

// Each command loads only the modules it uses (`await import(...)` below): start-up is most of a short command's
// time, and `scan` sends the image export to the engine before it loads the scanner, so the two overlap.

type Format = 'text' | 'json' | 'sarif' | 'cyclonedx'

class UsageError extends Error {}

function report(
  findings: Finding[],
  threshold: Thresholds,
  errors: string[] = [],
  image?: Report['image']
): Report {
  const r: Report = {
    tool: { name: 'secure-image', version: VERSION },
    findings,
    gate: evaluateGate(findings, threshold, errors)
  }
  if (image) r.image = image
  return r
}

async function sarifText(r: Report, dockerfilePath?: string): Promise<string> {
  const { toSarif } = await import('./publish/sarif.js')
  const category = `secure-image/${r.image?.ref ?? dockerfilePath ?? 'cli'}`
  return (
    JSON.stringify(toSarif(r, { category, ...(dockerfilePath ? { dockerfilePath } : {}) }), null, 2) + '\n'
  )
}

async function emit(
  r: Report,
  format: Format,
  extra?: { sbom?: string; dockerfilePath?: string }
): Promise<void> {
  if (format === 'json') process.stdout.write(JSON.stringify(r, null, 2) + '\n')
  else if (format === 'sarif') process.stdout.write(await sarifText(r, extra?.dockerfilePath))
  else if (format === 'cyclonedx') {
    if (!extra?.sbom) throw new UsageError('--format cyclonedx applies to scan and run only')
    process.stdout.write(extra.sbom)
  } else {
    const { renderText } = await import('./publish/text.js')
    process.stdout.write(renderText(r, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }))
  }
}

function threshold(
  value: string | undefined,
  fallback: Severity = 'high',
  flag = '--severity-threshold'
): Severity {
  if (value === undefined) return fallback
  const v = value.toLowerCase()
  if (!isSeverity(v))
    throw new UsageError(`${flag} must be one of critical, high, medium, low, info (got "${value}")`)
  return v
}

async function buildArgMap(list: string[]): Promise<Map<string, string>> {
  const { parseKeyValueLines } = await import('./inputs.js')
  return new Map(Object.entries(parseKeyValueLines('--build-arg', list.join('\n'))))
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]
const formatOption = (choices: Format[]) =>
  new Option('--format <format>', 'output format').choices(choices).default('text')

const stderrLog = (quiet: boolean): Logger => ({
  info: (m) => {
    if (!quiet) process.stderr.write(m + '\n')
  },
  warning: (m) => process.stderr.write(`warning: ${m}\n`),
  group: async (name, fn) => {
    if (!quiet) process.stderr.write(`── ${name}\n`)
    return fn()
  },
  // Inside a GitHub workflow the runner reads workflow commands from this output too.
  untrusted: (fn) => {
    const line = (m: string): void => {
      if (!quiet) process.stderr.write(m + '\n')
    }
    return process.env.GITHUB_ACTIONS === 'true' && !quiet ? withCommandsStopped(line, fn) : fn(line)
  }
})

export function program(): Command {
  const cmd = new Command('secure-image')
    .description(
      'Lint, policy-check, build, scan and gate a container image, the same way the GitHub Action does.'
    )
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })

  cmd
    .command('lint')
    .description('lint Dockerfiles (hadolint-compatible rules, pragmas and .hadolint.yaml)')
    .argument('<files...>', 'Dockerfiles')
    .option('--config <file>', '.hadolint.yaml-format config file')
    .option('--severity-threshold <severity>', 'lowest severity that fails')
    .addOption(formatOption(['text', 'json', 'sarif']))
    .action(
      async (files: string[], opts: { config?: string; severityThreshold?: string; format: Format }) => {
        const { parseDockerfile } = await import('./dockerfile/parse.js')
        const { lintDockerfile } = await import('./lint/engine.js')
        const { loadHadolintConfig, findHadolintConfig } = await import('./lint/config.js')
        const findings: Finding[] = []
        let fallback: Severity = 'high'
        for (const file of files) {
          const model = parseDockerfile(readText(file), file)
          const configFile =
            opts.config ?? findHadolintConfig([path.dirname(path.resolve(file)), process.cwd()])
          const config = configFile ? loadHadolintConfig(configFile) : undefined
          if (config?.failureThreshold) fallback = config.failureThreshold
          findings.push(...(await lintDockerfile(model, { config, shellcheck: true })))
        }
        await finish(report(findings, threshold(opts.severityThreshold, fallback)), opts.format)
      }
    )

  cmd
    .command('policy')
    .description(
      'check that every base image (FROM, COPY --from, RUN --mount from=) comes from an approved registry'
    )
    .argument('<files...>', 'Dockerfiles')
    .option('--allowed-registries <list>', 'approved registries, comma-separated', 'docker.io/library')
    .option('--require-digest', 'require every external image to be pinned by digest', false)
    .option('--build-arg <KEY=VALUE>', 'build argument (repeatable)', collect, [])
    .option('--severity-threshold <severity>', 'lowest severity that fails')
    .addOption(formatOption(['text', 'json', 'sarif']))
    .action(
      async (
        files: string[],
        opts: {
          allowedRegistries: string
          requireDigest: boolean
          buildArg: string[]
          severityThreshold?: string
          format: Format
        }
      ) => {
        const { parseDockerfile } = await import('./dockerfile/parse.js')
        const { checkPolicy } = await import('./policy/check.js')
        const { parseAllowlist } = await import('./policy/allowlist.js')
        const allowed = parseAllowlist(opts.allowedRegistries)
        const buildArgs = await buildArgMap(opts.buildArg)
        const findings: Finding[] = []
        for (const file of files) {
          const model = parseDockerfile(readText(file), file)
          for (const e of model.errors) {
            findings.push({
              category: 'policy',
              ruleId: 'SI0000',
              severity: 'high',
              message: `parse error: ${e.message}`,
              location: { path: file, startLine: e.line }
            })
          }
          findings.push(
            ...checkPolicy(model, {
              allowedRegistries: allowed,
              requireDigest: opts.requireDigest,
              buildArgs
            })
          )
        }
        await finish(report(findings, threshold(opts.severityThreshold)), opts.format)
      }
    )

  cmd
    .command('scan')
    .description('scan a local image: OS and language packages against OSV, secrets in layers, risky config')
    .argument('<image>', 'image name or ID in the local engine')
    .option('--osv-db <dir>', 'offline OSV directory (JSON records and/or all.zip per ecosystem)')
    .option('--osv-api <url>', 'OSV API base URL', 'https://api.osv.dev')
    .option('--severity-threshold <severity>', 'lowest severity that fails')
    .option('--ignore-unfixed', 'drop vulnerabilities without a fixed version', false)
    .option(
      '--coverage-threshold <severity>',
      'lowest severity at which coverage gaps fail (default high; critical lets them pass, still reported)'
    )
    .option(
      '--dockerfile <file>',
      'the Dockerfile the image was built from, to attribute findings to its lines'
    )
    .addOption(formatOption(['text', 'json', 'sarif', 'cyclonedx']))
    .action(
      async (
        image: string,
        opts: {
          osvDb?: string
          osvApi: string
          severityThreshold?: string
          ignoreUnfixed: boolean
          coverageThreshold?: string
          dockerfile?: string
          format: Format
        }
      ) => {
        const { createEngine } = await import('./docker/engine.js')
        const engine = createEngine()
        // The engine prepares the whole export before its first byte: ask for it first, and inspect the image,
        // load the scanner, read the Dockerfile and index the offline OSV database while it does.
        const exporting = engine.exportImage(image)
        exporting.catch(() => undefined)
        const inspect = await engine.inspectImage(image)
        if (!inspect) {
          exporting.then(
            (s) => (s as Readable).destroy(),
            () => undefined
          )
          throw new UsageError(`no image ${image} in the local engine`)
        }
        const [{ scanImageStream }, { matchVulnerabilities }, osv, { applyIgnores, loadIgnoreFiles }] =
          await Promise.all([
            import('./scan/index.js'),
            import('./scan/match.js'),
            import('./scan/osv/index.js'),
            import('./scan/ignores.js')
          ])
        let source: OsvSource
        let stopPreparing = (): void => undefined
        if (opts.osvDb) {
          const offline = osv.createOfflineSource(opts.osvDb)
          stopPreparing = offline.prepare()
          source = offline
        } else source = osv.createApiSource(opts.osvApi, (await import('./pipeline.js')).osvApiOptions())
        let scan
        try {
          const model = opts.dockerfile
            ? (await import('./dockerfile/parse.js')).parseDockerfile(
                readText(opts.dockerfile),
                opts.dockerfile
              )
            : undefined
          scan = await scanImageStream(await exporting, model ? { model, dockerfilePath: model.path } : {})
        } catch (err) {
          stopPreparing()
          throw err
        }
        const { assessCoverage, newMatchCoverage } = await import('./scan/coverage.js')
        const checked = newMatchCoverage()
        const vulns = await matchVulnerabilities(scan.inventory.packages, source, {
          ignoreUnfixed: opts.ignoreUnfixed,
          ...(scan.inventory.os ? { os: scan.inventory.os } : {}),
          coverage: checked
        })
        const coverage = assessCoverage(scan.inventory, checked)
        const applied = applyIgnores(
          [...scan.findings, ...vulns, ...coverage.findings],
          loadIgnoreFiles(process.cwd())
        )
        for (const w of applied.warnings) process.stderr.write(`warning: ${w}\n`)
        const general = threshold(opts.severityThreshold)
        const gate: Thresholds =
          opts.coverageThreshold === undefined
            ? general
            : {
                default: general,
                coverage: threshold(opts.coverageThreshold, 'high', '--coverage-threshold')
              }
        const r = report(applied.findings, gate, [], {
          ref: image,
          id: inspect.Id
        })
        r.coverage = coverage.coverage
        // The SBOM is made only when it is printed: its library is large to load.
        const sbom =
          opts.format === 'cyclonedx'
            ? (await import('./scan/sbom.js')).toCycloneDx(scan.inventory, { ref: image, id: inspect.Id })
            : undefined
        await finish(r, opts.format, sbom ? { sbom } : {})
      }
    )

  cmd
    .command('run')
    .description('the whole pipeline locally: lint, policy, build, scan, gate, and push with --push')
    .option('--context <dir>', 'build context', '.')
    .option('--dockerfile <file>', 'Dockerfile (default: Dockerfile in the context)')
    .option('--image <name>', 'repository to tag and push')
    .option('--tags <list>', 'tags, comma-separated (full refs or bare tags)')
    .option('--build-arg <KEY=VALUE>', 'build argument (repeatable)', collect, [])
    .option('--target <stage>', 'build stage')
    .option('--builder <builder>', 'auto, buildkit or classic')
    .option('--allowed-registries <list>', 'approved registries, comma-separated')
    .option('--require-digest', 'require digests on every external image')
    .option('--severity-threshold <severity>', 'lowest severity that fails the gate')
    .option('--coverage-threshold <severity>', 'lowest severity at which coverage gaps fail (default high)')
    .option('--ignore-unfixed', 'drop vulnerabilities without a fixed version')
    .option('--osv-db <dir>', 'offline OSV directory')
    .option('--osv-api-url <url>', 'OSV API base URL')
    .option('--config <file>', 'repository config file (default .github/secure-image.yml)')
    .option('--smoke-test', 'run the least-privilege smoke test')
    .option('--push', 'push when the gate passes', false)
    .option('--registry <host>', 'registry to log in to')
    .option('--username <user>', 'registry user')
    .option('--password-stdin', 'read the registry password from standard input', false)
    .option('--sarif-file <file>', 'write SARIF here')
    .option('--sbom-file <file>', 'write a CycloneDX SBOM here')
    .option('--report-file <file>', 'write the JSON report here')
    .option('--baseline <ref>', 'image to compare with (new, fixed, unchanged, inherited); default none')
    .option('--fail-on <scope>', 'all (default) or new: gate only on findings the baseline does not have')
    .option('-q, --quiet', 'no progress on stderr', false)
    .addOption(formatOption(['text', 'json', 'sarif', 'cyclonedx']))
    .action(async (opts: Record<string, string | boolean | string[] | undefined>) => {
      const raw: RawInputs = {}
      const map: Record<string, keyof RawInputs> = {
        context: 'context',
        dockerfile: 'dockerfile',
        image: 'image',
        tags: 'tags',
        target: 'target',
        builder: 'builder',
        allowedRegistries: 'allowed-registries',
        severityThreshold: 'severity-threshold',
        coverageThreshold: 'coverage-threshold',
        osvDb: 'osv-db',
        osvApiUrl: 'osv-api-url',
        config: 'config',
        registry: 'registry',
        username: 'username',
        sarifFile: 'sarif-file',
        sbomFile: 'sbom-file',
        reportFile: 'report-file',
        baseline: 'baseline',
        failOn: 'fail-on'
      }
      for (const [flag, name] of Object.entries(map)) {
        if (typeof opts[flag] === 'string') raw[name] = opts[flag] as string
      }
      for (const [flag, name] of [
        ['requireDigest', 'require-digest'],
        ['ignoreUnfixed', 'ignore-unfixed'],
        ['smokeTest', 'smoke-test']
      ] as const) {
        if (opts[flag] === true) raw[name] = 'true'
      }
      const buildArgs = opts.buildArg as string[]
      if (buildArgs.length > 0) raw['build-args'] = buildArgs.join('\n')
      if (opts.passwordStdin) raw.password = readFileSync(0, 'utf8').trim()
      if (!raw.tags) raw.tags = 'local'
      // A local run has no published image to compare with unless one is named.
      if (!raw.baseline) raw.baseline = 'none'
      raw.push = opts.push ? 'true' : 'false'
      const { resolveInputs } = await import('./inputs.js')
      const { runPipeline } = await import('./pipeline.js')
      const { createEngine } = await import('./docker/engine.js')
      const inputs = resolveInputs(raw)
      const format = opts.format as Format
      const log = stderrLog(Boolean(opts.quiet) || format !== 'text')
      const engine = createEngine()
      const result = await runPipeline(inputs, { eventName: 'local', ref: '', sha: '' }, engine, log, {
        build: true,
        push: Boolean(opts.push)
      })
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`)
      if (inputs['report-file'])
        writeOut(inputs['report-file'], JSON.stringify(result.report, null, 2) + '\n')
      if (inputs['sarif-file'])
        writeOut(inputs['sarif-file'], await sarifText(result.report, inputs.dockerfile))
      if (inputs['sbom-file'] && result.sbom) writeOut(inputs['sbom-file'], result.sbom)
      await finish(result.report, format, {
        ...(result.sbom ? { sbom: result.sbom } : {}),
        dockerfilePath: inputs.dockerfile
      })
    })

  cmd
    .command('verify')
    .description(
      'verify the Sigstore signature and attestations attached to an image digest (exit 0 verified, 1 not, 2 bad input)'
    )
    .argument('<image>', 'IMAGE[:tag] or IMAGE@sha256:…')
    .option('--key <file>', 'PEM public key to trust (repeatable)', collect, [])
    .option('--certificate-identity-regexp <regexp>', 'keyless: the signer identity must match this')
    .option('--certificate-oidc-issuer <url>', 'keyless: the OIDC issuer of the signer')
    .option(
      '--trusted-root <file>',
      "keyless: Sigstore trusted_root.json (default: Sigstore's public root via TUF)"
    )
    .option('--require-gate-passed', 'require a verified gate-result attestation that says passed', false)
    .option('--registry <host>', 'registry the credentials are for (default: the image registry)')
    .option('--username <user>', 'registry user')
    .option('--password-stdin', 'read the registry password from standard input', false)
    .addOption(formatOption(['text', 'json']))
    .action(
      async (
        image: string,
        opts: {
          key: string[]
          certificateIdentityRegexp?: string
          certificateOidcIssuer?: string
          trustedRoot?: string
          requireGatePassed: boolean
          registry?: string
          username?: string
          passwordStdin: boolean
          format: Format
        }
      ) => {
        if (Boolean(opts.certificateIdentityRegexp) !== Boolean(opts.certificateOidcIssuer))
          throw new UsageError(
            '--certificate-identity-regexp and --certificate-oidc-issuer go together: give both'
          )
        const password = opts.passwordStdin ? readFileSync(0, 'utf8').trim() : ''
        let registry = opts.registry
        if (!registry) {
          try {
            registry = parseRef(image).registry
          } catch (e) {
            throw new UsageError((e as Error).message)
          }
        }
        const { runVerify, renderVerify, verifyJson, VerifyInputError } = await import('./sign/command.js')
        try {
          const r = await runVerify({
            image,
            keys: opts.key,
            identities: opts.certificateIdentityRegexp
              ? [{ issuer: opts.certificateOidcIssuer ?? '', identity: opts.certificateIdentityRegexp }]
              : [],
            requireGatePassed: opts.requireGatePassed,
            ...(opts.username || password
              ? { auth: { registry, username: opts.username ?? '', password } }
              : {}),
            ...(opts.trustedRoot ? { trustedRoot: opts.trustedRoot } : {})
          })
          if (opts.format === 'json') process.stdout.write(JSON.stringify(verifyJson(r), null, 2) + '\n')
          else process.stdout.write(renderVerify(r).join('\n') + '\n')
          exitCode = r.verified ? 0 : 1
        } catch (e) {
          if (e instanceof VerifyInputError) throw new UsageError(e.message)
          throw e
        }
      }
    )

  cmd
    .command('rules')
    .description('list the implemented lint rules')
    .addOption(formatOption(['text', 'json']))
    .action(async (opts: { format: Format }) => {
      const { ruleCatalog } = await import('./lint/rules/index.js')
      const rules = ruleCatalog()
      if (opts.format === 'json') process.stdout.write(JSON.stringify(rules, null, 2) + '\n')
      else
        for (const r of rules)
          process.stdout.write(`${r.id.padEnd(8)} ${r.severity.padEnd(8)} ${r.description}\n`)
    })
  return cmd
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`
    )
  }
}

function writeOut(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  writeFileSync(file, text)
}

let exitCode = 0
async function finish(
  r: Report,
  format: Format,
  extra?: { sbom?: string; dockerfilePath?: string }
): Promise<void> {
  await emit(r, format, extra)
  exitCode = r.gate.passed ? 0 : 1
}

export async function main(argv: string[]): Promise<number> {
  exitCode = 0
  const debug = argv.includes('--debug')
  try {
    await program().parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0
      return 2
    }
    const e = err as Error
    process.stderr.write(`secure-image: ${e.message.split('\n')[0]}\n`)
    if (debug && e.stack) process.stderr.write(e.stack + '\n')
    return 2
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
