/**
 * One typed `Inputs` object, with kebab-case keys that match action.yml, resolved from three layers: an input
 * given explicitly (a non-empty action input or a CLI flag) beats the repository config file, which beats the
 * defaults. The config file can never loosen what the workflow set.
 * The action and the CLI both call `resolveInputs`; only where the raw values come from differs.
 */
import * as path from 'node:path'
import { ConfigError, loadRepoConfig, splitList, type RepoConfig } from './config.js'
import { isSeverity, type Severity, type Thresholds } from './findings.js'
import { parseAllowlist } from './policy/allowlist.js'
import { parsePullCredentials } from './docker/credentials.js'
import type { RegistryAuth } from './docker/registry.js'
import type { SignMode } from './sign/index.js'
import { checkIdentity, parseIdentities, splitKeyEntries, type TrustedIdentity } from './sign/trust.js'
import { parseRef } from './docker/tags.js'

export type PushMode = 'auto' | 'true' | 'false'
export type Builder = 'auto' | 'buildkit' | 'classic'
export type FailOn = 'all' | 'new'

export interface Inputs {
  context: string
  /** The Dockerfile path as the user gave it (used in locations and annotations). */
  dockerfile: string
  image: string
  tags: string[]
  'build-args': Record<string, string>
  target: string
  labels: Record<string, string>
  'no-cache': boolean
  pull: boolean
  platform: string
  'cache-from': string[]
  builder: Builder
  registry: string
  username: string
  password: string
  /** Credentials for pulling base images from registries other than `registry` (masked, never on disk). */
  'pull-credentials': RegistryAuth[]
  push: PushMode
  'allowed-registries': string[]
  'require-digest': boolean
  'severity-threshold': Thresholds
  'ignore-unfixed': boolean
  'unknown-severity': Severity
  'scan-failure': 'fail' | 'warn'
  'osv-db': string
  'osv-api-url': string
  'smoke-test': boolean
  'smoke-test-seconds': number
  config: string
  'github-token': string
  comment: boolean
  annotations: boolean
  /** `annotations: all` annotates every finding; `true` only the new ones when a baseline was found. */
  'annotations-scope': 'new' | 'all'
  /** `auto`, `none`, or an image reference to compare with (see docs/baseline.md). */
  baseline: string
  /** `all` gates on every finding; `new` only on findings the baseline does not have. */
  'fail-on': FailOn
  /** The job's matrix values as canonical JSON (sorted keys), or empty: part of the sticky comment's marker. */
  matrix: string
  'sarif-file': string
  'sbom-file': string
  'report-file': string
  /** `run` (the pipeline) or `verify` (check the signature and attestations of `image`). */
  mode: 'run' | 'verify'
  sign: SignMode
  /** ECDSA P-256 private key (PEM); masked, never written to disk. */
  'signing-key': string
  'require-signed-base': boolean
  /** PEM public keys: the PEM text or key file paths. */
  'trusted-keys': string[]
  'trusted-identities': TrustedIdentity[]
  'require-gate-passed': boolean
  /** From the config file only. */
  repoConfig?: RepoConfig
}

/** The real defaults, applied after the config file (a test keeps action.yml in step, see declaredDefault). */
export const INPUT_DEFAULTS = {
  context: '.',
  dockerfile: '',
  image: '',
  tags: '',
  'build-args': '',
  target: '',
  labels: '',
  'no-cache': 'false',
  pull: 'false',
  platform: '',
  'cache-from': '',
  builder: 'auto',
  registry: 'docker.io',
  username: '',
  password: '',
  'pull-credentials': '',
  push: 'auto',
  'allowed-registries': 'docker.io/library',
  'require-digest': 'false',
  'severity-threshold': 'high',
  'coverage-threshold': '',
  'ignore-unfixed': 'false',
  'scan-failure': 'fail',
  'osv-db': '',
  'osv-api-url': 'https://api.osv.dev',
  'smoke-test': 'false',
  'smoke-test-seconds': '10',
  config: '.github/secure-image.yml',
  'github-token': '${{ github.token }}',
  comment: 'true',
  annotations: 'true',
  baseline: 'auto',
  'fail-on': 'all',
  matrix: '',
  'sarif-file': '',
  'sbom-file': '',
  'report-file': '',
  mode: 'run',
  sign: 'auto',
  'signing-key': '',
  'require-signed-base': 'false',
  'trusted-keys': '',
  'trusted-identities': '',
  'require-gate-passed': 'false'
} as const

export type InputName = keyof typeof INPUT_DEFAULTS
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[]

/**
 * Inputs the repository config file can also set. action.yml declares their default as the empty string, so
 * that "left empty" and "set by the workflow" can be told apart: the workflow's value always wins, the config
 * file fills in only what was left empty, and the real default (INPUT_DEFAULTS) comes last.
 */
export const CONFIG_SETTABLE: readonly InputName[] = [
  'allowed-registries',
  'require-digest',
  'severity-threshold',
  'ignore-unfixed',
  'scan-failure',
  'smoke-test',
  'smoke-test-seconds',
  'config'
]

/** The default action.yml declares for an input: empty for those the config file can set. */
export function declaredDefault(name: InputName): string {
  return CONFIG_SETTABLE.includes(name) ? '' : INPUT_DEFAULTS[name]
}

/** Only the values given explicitly; a missing key means "not set". */
export type RawInputs = Partial<Record<InputName, string>>

export class InputError extends Error {
  override name = 'InputError'
}

export interface ResolveOptions {
  /** Directory that relative paths in inputs are resolved against (the workspace). */
  cwd?: string
}

/** Validates raw inputs, reads the repo config file, and merges the three layers. Throws InputError or ConfigError. */
export function resolveInputs(raw: RawInputs, options: ResolveOptions = {}): Inputs {
  const cwd = options.cwd ?? process.cwd()
  const get = (name: InputName): string => (raw[name] ?? INPUT_DEFAULTS[name]).trim()
  const given = (name: InputName): boolean => raw[name] !== undefined && raw[name] !== ''

  const configPath = get('config')
  let repoConfig: RepoConfig | undefined
  if (configPath) {
    repoConfig = loadRepoConfig(path.resolve(cwd, configPath), given('config'))
    if (repoConfig) repoConfig.file = configPath
  }

  const context = get('context') || '.'
  const dockerfile = get('dockerfile') || path.posix.join(context.replace(/\\/g, '/'), 'Dockerfile')

  const thresholdRaw = get('severity-threshold').toLowerCase()
  if (!isSeverity(thresholdRaw)) {
    throw new InputError(
      `input "severity-threshold" must be one of critical, high, medium, low, info (got "${get('severity-threshold')}")`
    )
  }
  let threshold: Thresholds = thresholdRaw
  if (!given('severity-threshold') && repoConfig?.severityThreshold !== undefined)
    threshold = repoConfig.severityThreshold
  // Coverage gaps gate at `high` unless this (or the config file's `severity-threshold.coverage`) says otherwise.
  const coverageRaw = get('coverage-threshold').toLowerCase()
  if (coverageRaw) {
    if (!isSeverity(coverageRaw))
      throw new InputError(
        `input "coverage-threshold" must be one of critical, high, medium, low, info (got "${get('coverage-threshold')}")`
      )
    threshold =
      typeof threshold === 'string'
        ? { default: threshold, coverage: coverageRaw }
        : { ...threshold, coverage: coverageRaw }
  }

  const push = get('push').toLowerCase()
  if (push !== 'auto' && push !== 'true' && push !== 'false') {
    throw new InputError(`input "push" must be auto, true or false (got "${get('push')}")`)
  }
  const builder = get('builder').toLowerCase()
  if (builder !== 'auto' && builder !== 'buildkit' && builder !== 'classic') {
    throw new InputError(`input "builder" must be auto, buildkit or classic (got "${get('builder')}")`)
  }
  const scanFailure = given('scan-failure')
    ? get('scan-failure').toLowerCase()
    : (repoConfig?.scanFailure ?? 'fail')
  if (scanFailure !== 'fail' && scanFailure !== 'warn') {
    throw new InputError(`input "scan-failure" must be fail or warn (got "${get('scan-failure')}")`)
  }
  const seconds = Number(get('smoke-test-seconds'))
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InputError(
      `input "smoke-test-seconds" must be a whole number of seconds from 1 to 3600 (got "${get('smoke-test-seconds')}")`
    )
  }

  const bool = (name: InputName, fromConfig?: boolean): boolean => {
    if (!given(name) && fromConfig !== undefined) return fromConfig
    return parseBoolean(name, get(name))
  }

  const allowedSource = given('allowed-registries')
    ? 'input "allowed-registries"'
    : repoConfig?.allowedRegistries
      ? `${configPath}: allowed-registries`
      : 'input "allowed-registries"'
  let allowed: string[]
  try {
    allowed = parseAllowlist(
      given('allowed-registries')
        ? get('allowed-registries')
        : (repoConfig?.allowedRegistries ?? INPUT_DEFAULTS['allowed-registries'])
    )
  } catch (err) {
    throw new InputError(`${allowedSource}: ${(err as Error).message}`)
  }
  if (allowed.length === 0)
    throw new InputError(`${allowedSource} is empty: name at least one registry, or \`*\``)

  const osvApi = get('osv-api-url')
  try {
    const u = new URL(osvApi)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)')
  } catch {
    throw new InputError(`input "osv-api-url" must be an http(s) URL (got "${osvApi}")`)
  }

  const signing = resolveSigningInputs(raw, get, given, repoConfig, configPath)

  const smokeFromConfig = repoConfig?.smokeTest
  const inputs: Inputs = {
    context,
    dockerfile,
    image: get('image'),
    tags: splitList(get('tags')),
    'build-args': parseKeyValueLines('build-args', get('build-args')),
    target: get('target'),
    labels: parseKeyValueLines('labels', get('labels')),
    'no-cache': bool('no-cache'),
    pull: bool('pull'),
    platform: get('platform'),
    'cache-from': splitList(get('cache-from')),
    builder: builder as Builder,
    registry: get('registry') || 'docker.io',
    username: get('username'),
    password: raw.password ?? '',
    'pull-credentials': pullCredentials(raw['pull-credentials'] ?? ''),
    push: push as PushMode,
    'allowed-registries': allowed,
    'require-digest': bool('require-digest', repoConfig?.requireDigest),
    'severity-threshold': threshold,
    'ignore-unfixed': bool('ignore-unfixed', repoConfig?.ignoreUnfixed),
    'unknown-severity': repoConfig?.unknownSeverity ?? 'medium',
    'scan-failure': scanFailure,
    'osv-db': get('osv-db'),
    'osv-api-url': osvApi.replace(/\/+$/, ''),
    'smoke-test': bool('smoke-test', smokeFromConfig?.enabled),
    'smoke-test-seconds':
      !given('smoke-test-seconds') && smokeFromConfig?.seconds ? smokeFromConfig.seconds : seconds,
    config: configPath,
    'github-token': raw['github-token'] ?? '',
    comment: bool('comment'),
    annotations: parseAnnotations(get('annotations')),
    'annotations-scope': get('annotations').toLowerCase() === 'all' ? 'all' : 'new',
    baseline: parseBaselineInput(get('baseline')),
    'fail-on': parseFailOn(get('fail-on')),
    matrix: parseMatrixInput(get('matrix')),
    'sarif-file': get('sarif-file'),
    'sbom-file': get('sbom-file'),
    'report-file': get('report-file'),
    ...signing,
    'require-signed-base': bool('require-signed-base', repoConfig?.requireSignedBase),
    'require-gate-passed': bool('require-gate-passed')
  }
  if (repoConfig) inputs.repoConfig = repoConfig
  if (inputs.image && !/^[a-z0-9]/.test(inputs.image)) {
    throw new InputError(
      `input "image" must be a repository name such as acme/app or ghcr.io/acme/app (got "${inputs.image}")`
    )
  }
  return inputs
}

function pullCredentials(text: string): RegistryAuth[] {
  try {
    return parsePullCredentials(text)
  } catch (err) {
    throw new InputError(`input "${(err as Error).message}`)
  }
}

/** sign, signing-key, mode and the trust inputs (trusted-keys, trusted-identities), input over config file. */
function resolveSigningInputs(
  raw: RawInputs,
  get: (name: InputName) => string,
  given: (name: InputName) => boolean,
  repoConfig: RepoConfig | undefined,
  configPath: string
): Pick<Inputs, 'mode' | 'sign' | 'signing-key' | 'trusted-keys' | 'trusted-identities'> {
  const mode = get('mode').toLowerCase()
  if (mode !== 'run' && mode !== 'verify') {
    throw new InputError(`input "mode" must be run or verify (got "${get('mode')}")`)
  }
  const sign = given('sign') ? get('sign').toLowerCase() : (repoConfig?.sign ?? 'auto')
  if (sign !== 'auto' && sign !== 'true' && sign !== 'false') {
    throw new InputError(`input "sign" must be auto, true or false (got "${get('sign')}")`)
  }
  let identities: TrustedIdentity[]
  try {
    identities = given('trusted-identities')
      ? parseIdentities(get('trusted-identities'), 'input "trusted-identities"')
      : (repoConfig?.trustedIdentities ?? []).map((id, i) =>
          checkIdentity(id, `${configPath}: trusted-identities[${i}]`)
        )
  } catch (err) {
    throw new InputError((err as Error).message)
  }
  return {
    mode,
    sign,
    'signing-key': raw['signing-key'] ?? '',
    'trusted-keys': given('trusted-keys')
      ? splitKeyEntries(get('trusted-keys'))
      : (repoConfig?.trustedKeys ?? []).flatMap(splitKeyEntries),
    'trusted-identities': identities
  }
}

/** `auto` (the default), `none`, or an image reference, validated as the engine would. */
export function parseBaselineInput(value: string): string {
  const v = value.trim()
  if (v === '' || v.toLowerCase() === 'auto') return 'auto'
  if (v.toLowerCase() === 'none') return 'none'
  try {
    parseRef(v)
  } catch (err) {
    throw new InputError(
      `input "baseline" must be auto, none or an image reference (got "${v}"): ${(err as Error).message}`
    )
  }
  return v
}

/** `annotations`: a boolean, or `all`. */
export function parseAnnotations(value: string): boolean {
  if (value.toLowerCase() === 'all') return true
  try {
    return parseBoolean('annotations', value)
  } catch {
    throw new InputError(`input "annotations" must be true, false or all (got "${value}")`)
  }
}

export function parseFailOn(value: string): FailOn {
  const v = value.trim().toLowerCase()
  if (v === 'all' || v === 'new') return v
  throw new InputError(`input "fail-on" must be all or new (got "${value}")`)
}

/**
 * The `matrix` input (`${{ toJSON(matrix) }}`): a JSON object, kept as canonical JSON with sorted keys so that
 * the same matrix values always give the same comment marker. Empty and `null` mean no matrix.
 */
export function parseMatrixInput(value: string): string {
  const v = value.trim()
  if (v === '' || v === 'null') return ''
  let parsed: unknown
  try {
    parsed = JSON.parse(v)
  } catch {
    throw new InputError('input "matrix" must be a JSON object, e.g. `${{ toJSON(matrix) }}`')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError('input "matrix" must be a JSON object, e.g. `${{ toJSON(matrix) }}`')
  }
  return canonicalJson(parsed)
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

/** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts them. */
export function parseBoolean(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE', ''].includes(value)) return false
  throw new InputError(`input "${name}" must be true or false (got "${value}")`)
}

/** `KEY=VALUE` per line; blank lines and `#` comments are skipped. A malformed line names its input and line. */
export function parseKeyValueLines(name: string, value: string): Record<string, string> {
  const out: Record<string, string> = {}
  value.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim()
    if (!t || t.startsWith('#')) return
    const eq = t.indexOf('=')
    const key = eq > 0 ? t.slice(0, eq).trim() : ''
    if (!key || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new InputError(
        `input "${name}" line ${i + 1} is not KEY=VALUE: "${t.length > 60 ? t.slice(0, 60) + '…' : t}"`
      )
    }
    out[key] = t.slice(eq + 1)
  })
  return out
}

export { ConfigError }
