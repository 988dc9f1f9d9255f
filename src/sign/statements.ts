/**
 * The in-toto statements attached to a pushed image. Each has the image's manifest digest as its one subject:
 *
 * - the signature, cosign v3 style: predicate type `https://sigstore.dev/cosign/sign/v1`, an empty predicate;
 * - the CycloneDX SBOM: `https://cyclonedx.org/bom`, the SBOM document as the predicate;
 * - the gate result: `https://secure-image.dev/gate-result/v1` (documented in docs/attestations.md);
 * - SLSA provenance v1: `https://slsa.dev/provenance/v1`, built from the GitHub context the way
 *   actions/attest-build-provenance builds it (buildType `https://actions.github.io/buildtypes/workflow/v1`).
 */
import { countFindings, type Counts, type Finding, type Report, type Thresholds } from '../findings.js'
import type { IgnoreEntry } from '../scan/ignores.js'

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'
export const PREDICATE = {
  signature: 'https://sigstore.dev/cosign/sign/v1',
  sbom: 'https://cyclonedx.org/bom',
  gate: 'https://secure-image.dev/gate-result/v1',
  provenance: 'https://slsa.dev/provenance/v1'
} as const
export type PredicateType = (typeof PREDICATE)[keyof typeof PREDICATE]

export interface Subject {
  /** The repository, without tag or digest (`ghcr.io/acme/app`). */
  name: string
  /** `sha256:<hex>` */
  digest: string
}

export interface Statement {
  _type: typeof STATEMENT_TYPE
  subject: { name: string; digest: Record<string, string> }[]
  predicateType: string
  predicate: unknown
}

export function statement(subject: Subject, predicateType: string, predicate: unknown): Statement {
  const [algorithm, hex] = subject.digest.split(':')
  if (algorithm !== 'sha256' || !/^[0-9a-f]{64}$/.test(hex ?? '')) {
    throw new Error(`cannot attest ${subject.name}: "${subject.digest}" is not a sha256 digest`)
  }
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: subject.name, digest: { sha256: hex } }],
    predicateType,
    predicate
  }
}

/** The digests (`sha256:<hex>`) a statement names as its subjects. */
export function subjectDigests(s: Pick<Statement, 'subject'>): string[] {
  return (s.subject ?? []).flatMap((x) =>
    Object.entries(x.digest ?? {}).map(([alg, hex]) => `${alg}:${String(hex).toLowerCase()}`)
  )
}

/** The gate result, version 1. Every field is documented in docs/attestations.md. */
export interface GateResultV1 {
  verdict: 'passed' | 'failed'
  tool: { name: string; version: string }
  image: { digest: string; id?: string; ref?: string }
  thresholds: Thresholds
  failing: number
  errors: string[]
  counts: Counts
  findings: {
    category: string
    ruleId: string
    severity: string
    /** One sentence: what is wrong (added to v1; a baseline needs it to list what a change fixed). */
    message?: string
    location?: { path: string; startLine: number; endLine?: number }
    package?: { name: string; version: string; ecosystem: string; path?: string }
    /** Path inside the image, for secrets and config findings (added to v1: the baseline's comparison key). */
    imagePath?: string
    ignored?: { source: string; reason?: string; expires?: string }
  }[]
  ignores: {
    id: string
    package?: string
    path?: string
    reason: string
    expires?: string
    source?: string
  }[]
  osv: { source: 'api' | 'offline'; location: string }
  evaluatedAt: string
}

export function gateResultPredicate(
  report: Report,
  opts: {
    digest: string
    thresholds: Thresholds
    ignores: IgnoreEntry[]
    osv: GateResultV1['osv']
    now?: Date
  }
): GateResultV1 {
  const findings = report.findings.map((f: Finding) => {
    const out: GateResultV1['findings'][number] = {
      category: f.category,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message
    }
    if (f.location) out.location = { ...f.location }
    if (f.package) {
      out.package = { name: f.package.name, version: f.package.version, ecosystem: f.package.ecosystem }
      if (f.package.path) out.package.path = f.package.path
    }
    if (f.imagePath) out.imagePath = f.imagePath
    if (f.suppressed) out.ignored = { ...f.suppressed }
    return out
  })
  const image: GateResultV1['image'] = { digest: opts.digest }
  if (report.image?.id) image.id = report.image.id
  if (report.image?.ref) image.ref = report.image.ref
  return {
    verdict: report.gate.passed ? 'passed' : 'failed',
    tool: { ...report.tool },
    image,
    thresholds: opts.thresholds,
    failing: report.gate.failing,
    errors: report.gate.errors ?? [],
    counts: countFindings(report.findings),
    findings,
    ignores: opts.ignores.map((e) => {
      const o: GateResultV1['ignores'][number] = { id: e.id, reason: e.reason ?? '' }
      if (e.package) o.package = e.package
      if (e.path) o.path = e.path
      if (e.expires) o.expires = e.expires
      if (e.source) o.source = e.source
      return o
    }),
    osv: opts.osv,
    evaluatedAt: (opts.now ?? new Date()).toISOString()
  }
}

/**
 * SLSA provenance v1 for a GitHub Actions run, with the fields actions/attest-build-provenance writes. Values
 * come from the runner's environment (GITHUB_*, RUNNER_ENVIRONMENT); missing ones are left out.
 */
export function slsaProvenance(env: NodeJS.ProcessEnv = process.env): unknown {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const repository = env.GITHUB_REPOSITORY ?? ''
  const workflowRef = env.GITHUB_WORKFLOW_REF ?? '' // owner/repo/.github/workflows/ci.yml@refs/heads/main
  const at = workflowRef.indexOf('@')
  const workflowPath = at > 0 ? workflowRef.slice(0, at).split('/').slice(2).join('/') : ''
  const ref = at > 0 ? workflowRef.slice(at + 1) : (env.GITHUB_REF ?? '')
  const github: Record<string, string> = {}
  if (env.GITHUB_EVENT_NAME) github.event_name = env.GITHUB_EVENT_NAME
  if (env.GITHUB_REPOSITORY_ID) github.repository_id = env.GITHUB_REPOSITORY_ID
  if (env.GITHUB_REPOSITORY_OWNER_ID) github.repository_owner_id = env.GITHUB_REPOSITORY_OWNER_ID
  if (env.RUNNER_ENVIRONMENT) github.runner_environment = env.RUNNER_ENVIRONMENT
  return {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: {
        workflow: { ref, repository: `${server}/${repository}`, path: workflowPath }
      },
      internalParameters: { github },
      resolvedDependencies: [
        {
          uri: `git+${server}/${repository}@${env.GITHUB_REF ?? ref}`,
          digest: { gitCommit: env.GITHUB_SHA ?? '' }
        }
      ]
    },
    runDetails: {
      builder: { id: workflowRef ? `${server}/${workflowRef}` : `${server}/${repository}` },
      metadata: {
        invocationId: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? ''}/attempts/${env.GITHUB_RUN_ATTEMPT ?? '1'}`
      }
    }
  }
}
