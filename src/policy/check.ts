/**
 * The approved-registry policy stage: every external image of the Dockerfile (see `imageSources`), and the
 * Dockerfile frontend BuildKit would run (see `frontendSources`), must come
 * from an allowed repository, and, with `requireDigest`, be pinned by digest. What cannot be checked (an
 * invalid reference, a variable with no value) fails closed.
 */
import type { Finding } from '../findings.js'
import type { DockerfileModel } from '../dockerfile/parse.js'
import { isAllowed, parseAllowlist } from './allowlist.js'
import { InvalidReferenceError, canonicalRepository, parseReference } from './reference.js'
import { imageSources, type ImageSource } from './sources.js'
import { frontendSources } from './frontend.js'

export const POLICY_RULES = {
  notAllowed: {
    id: 'SI2001',
    severity: 'critical',
    help:
      'Use an image from an allowed registry, or add its registry or repository to `allowed-registries` ' +
      '(e.g. `ghcr.io/acme`). An entry matches the repository name itself or any name below it.'
  },
  invalidReference: {
    id: 'SI2002',
    severity: 'critical',
    help: 'Write the image as `[registry/]repository[:tag][@sha256:digest]` in lower case, e.g. `node:20` or `ghcr.io/acme/app:1.2`.'
  },
  unresolvedVariable: {
    id: 'SI2003',
    severity: 'critical',
    help:
      'Give the variable a default (`ARG NAME=value`) or pass it with `build-args`; for FROM it must be an ARG ' +
      'declared before the first FROM, for COPY --from and RUN --mount from= an ARG in scope in that stage.'
  },
  notPinned: {
    id: 'SI2004',
    severity: 'high',
    help: 'Pin the image by digest (`image:tag@sha256:…`); a tag can be moved to different content at any time.'
  },
  provenance: {
    id: 'SI2005',
    severity: 'critical',
    help:
      'Build from the approved base as the registry serves it: pull it from the allowed registry (or pin it by ' +
      'digest) and make sure no other image is tagged with its name on the build machine.'
  }
} as const

export interface PolicyOptions {
  /** Allowlist entries (see `parseAllowlist`); raw entries are parsed and normalized here. */
  allowedRegistries: string[]
  requireDigest: boolean
  buildArgs?: ReadonlyMap<string, string>
}

/** Checks every external image of the Dockerfile against the allowlist. Throws on a malformed allowlist. */
export function checkPolicy(model: DockerfileModel, options: PolicyOptions): Finding[] {
  const allowlist = parseAllowlist(options.allowedRegistries)
  const findings: Finding[] = []
  for (const src of [
    ...frontendSources(model, options.buildArgs),
    ...imageSources(model, options.buildArgs)
  ]) {
    const what = describe(src)
    const location = { path: model.path, startLine: src.line, endLine: src.line }
    if (src.unresolved.length > 0) {
      const vars = src.unresolved.map((v) => `$${v}`).join(', ')
      const why = src.onbuild
        ? 'they are set by the later build that runs this ONBUILD trigger'
        : 'they have no value (no default and no build-arg)'
      findings.push({
        category: 'policy',
        ruleId: POLICY_RULES.unresolvedVariable.id,
        severity: POLICY_RULES.unresolvedVariable.severity,
        message: `${what} "${src.raw}" cannot be checked against the allowed registries: ${vars} cannot be resolved, because ${why}.`,
        help: POLICY_RULES.unresolvedVariable.help,
        location
      })
      continue
    }
    let ref
    try {
      ref = parseReference(src.expanded)
    } catch (err) {
      if (!(err instanceof InvalidReferenceError)) throw err
      const shown = src.expanded === src.raw ? `"${src.raw}"` : `"${src.raw}" (expanded: "${src.expanded}")`
      findings.push({
        category: 'policy',
        ruleId: POLICY_RULES.invalidReference.id,
        severity: POLICY_RULES.invalidReference.severity,
        message: `${what} ${shown} is not a valid image reference (${err.reason}), so it cannot be checked.`,
        help: POLICY_RULES.invalidReference.help,
        location
      })
      continue
    }
    const name = canonicalRepository(ref)
    if (!isAllowed(name, allowlist)) {
      findings.push({
        category: 'policy',
        ruleId: POLICY_RULES.notAllowed.id,
        severity: POLICY_RULES.notAllowed.severity,
        message: `${what} ${name} is not from an allowed registry (allowed: ${allowlist.length ? allowlist.join(', ') : 'none'}).`,
        help: POLICY_RULES.notAllowed.help,
        location
      })
    }
    if (options.requireDigest && ref.digest === undefined) {
      findings.push({
        category: 'policy',
        ruleId: POLICY_RULES.notPinned.id,
        severity: POLICY_RULES.notPinned.severity,
        message: `${what} ${name}${ref.tag ? `:${ref.tag}` : ''} is not pinned by digest, and require-digest is on.`,
        help: POLICY_RULES.notPinned.help,
        location
      })
    }
  }
  return findings
}

const KIND_NAMES: Record<ImageSource['kind'], string> = {
  from: 'Base image',
  'copy-from': 'COPY --from image',
  'mount-from': 'RUN --mount image',
  frontend: 'Dockerfile frontend (# syntax=)',
  'frontend-arg': 'Dockerfile frontend (BUILDKIT_SYNTAX build-arg)'
}

function describe(src: ImageSource): string {
  const base = KIND_NAMES[src.kind]
  return src.onbuild ? `ONBUILD ${base}` : base
}
