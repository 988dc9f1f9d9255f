/**
 * Image references and tags: parsing and validation with the engine's own grammar (distribution/reference),
 * the tags of a build (given, or derived from the event as docker/metadata-action does by default), and the
 * OCI labels filled from the GitHub context.
 */
import semver from 'semver'

/** `[\w][\w.-]{0,127}` */
export const TAG_RE = /^[\w][\w.-]{0,127}$/
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*'
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`)
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`
)
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/
const NAME_TOTAL_LENGTH_MAX = 255

export const DOCKER_HUB = 'docker.io'

export interface ParsedRef {
  /** Registry host as written, or `docker.io` when the reference names none. */
  registry: string
  /** Repository path inside the registry, e.g. `library/busybox`, `org/app`. */
  repository: string
  tag?: string
  digest?: string
}

/** True when the first path component names a registry (as the engine decides it). */
function isDomain(component: string): boolean {
  return (
    component.includes('.') || component.includes(':') || component === 'localhost' || /[A-Z]/.test(component)
  )
}

/**
 * Parses an image reference the way the engine does (`name[:tag][@digest]`), normalising Docker Hub names
 * (`busybox` → `docker.io/library/busybox`). Throws an Error naming the reference when it is invalid.
 */
export function parseRef(ref: string): ParsedRef {
  let rest = ref.trim()
  if (rest === '') throw new Error('an image reference is empty')
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST_RE.test(digest)) throw new Error(`invalid digest "${digest}" in image reference "${ref}"`)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG_RE.test(tag)) {
      throw new Error(
        `invalid tag "${tag}" in image reference "${ref}": a tag is up to 128 letters, digits, "_", "." or "-", ` +
          'and cannot start with "." or "-"'
      )
    }
  }
  if (rest.length > NAME_TOTAL_LENGTH_MAX) {
    throw new Error(`invalid image reference "${ref}": the repository name is longer than 255 characters`)
  }
  const slash = rest.indexOf('/')
  let registry = DOCKER_HUB
  let repository = rest
  if (slash > 0 && isDomain(rest.slice(0, slash))) {
    registry = rest.slice(0, slash)
    repository = rest.slice(slash + 1)
    if (!DOMAIN_RE.test(registry))
      throw new Error(`invalid registry "${registry}" in image reference "${ref}"`)
  }
  if (repository !== repository.toLowerCase()) {
    throw new Error(`invalid image reference "${ref}": the repository name must be lowercase`)
  }
  if (!PATH_RE.test(repository)) {
    throw new Error(
      `invalid image reference "${ref}": the repository "${repository}" must be lowercase path components of ` +
        'letters and digits separated by "/", and each component may only contain ".", "_", "__" or "-" between them'
    )
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB
  return { registry, repository, tag, digest }
}

/** The repository as it appears in a ref (`docker.io/library/x` keeps its host; no tag or digest). */
function repoOf(ref: string): string {
  let r = ref
  const at = r.indexOf('@')
  if (at >= 0) r = r.slice(0, at)
  const colon = r.lastIndexOf(':')
  if (colon > r.lastIndexOf('/')) r = r.slice(0, colon)
  return r
}

/** Checks a full reference that is to be tagged and pushed: a repository and a tag, no digest. */
export function validateTagRef(ref: string): void {
  const p = parseRef(ref)
  if (p.digest)
    throw new Error(`the tag "${ref}" carries a digest; an image can only be tagged with name:tag`)
  if (!p.tag) throw new Error(`the tag "${ref}" has no tag part (expected name:tag)`)
}

export interface TagEvent {
  eventName: string
  /** `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/7/merge`. */
  ref: string
  sha: string
  prNumber?: number
}

/** docker/metadata-action's sanitising of a git ref into a tag. */
function sanitize(s: string): string {
  return s.replace(/[^a-zA-Z0-9._-]+/g, '-')
}

/** The longest tag the engine's grammar accepts. */
export const TAG_MAX = 128

/**
 * A git ref name as a tag: sanitised as docker/metadata-action does (every run of other characters becomes
 * `-`), then made valid for the engine's grammar: a leading `.` or `-` is dropped and the tag is cut to its first
 * 128 characters, so a long branch name still gives a tag (and the run reaches lint) instead of an error.
 */
export function refTag(name: string): string {
  return sanitize(name)
    .replace(/^[.-]+/, '')
    .slice(0, TAG_MAX)
}

function eventTags(event: TagEvent): string[] {
  const out: string[] = []
  const isPr = event.eventName === 'pull_request' || event.eventName === 'pull_request_target'
  if (isPr) {
    const n = event.prNumber ?? /^refs\/pull\/(\d+)\//.exec(event.ref)?.[1]
    if (n === undefined)
      throw new Error(`cannot tag a pull request build: no PR number in the event (ref ${event.ref})`)
    out.push(`pr-${n}`)
    return out
  }
  if (event.eventName === 'schedule') out.push('nightly')
  if (event.ref.startsWith('refs/heads/')) {
    out.push(refTag(event.ref.slice('refs/heads/'.length)))
  } else if (event.ref.startsWith('refs/tags/')) {
    const gitTag = event.ref.slice('refs/tags/'.length)
    const v = semver.parse(gitTag, { loose: false })
    if (v) {
      out.push(v.version)
      if (v.prerelease.length === 0) out.push(`${v.major}.${v.minor}`, `${v.major}`)
    } else {
      out.push(refTag(gitTag))
    }
  }
  if (/^[0-9a-f]{7,}$/i.test(event.sha)) out.push(`sha-${event.sha.slice(0, 7).toLowerCase()}`)
  return out.filter((t) => t !== '')
}

/**
 * The full references of a build. `tags` may hold full refs (`ghcr.io/o/app:1`) or bare tags (`1`), which are
 * joined to `image`. With no tags they come from the event (see docs/build-push.md). `pushable` is false for
 * pull-request builds. Every tag is validated as the engine
 * would, and an invalid one throws an Error naming it.
 */
export function computeTags(input: { image: string; tags: string[]; event: TagEvent }): {
  refs: string[]
  pushable: boolean
} {
  const image = input.image.trim()
  const given = input.tags.map((t) => t.trim()).filter((t) => t !== '')
  const needsImage = given.length === 0 || given.some((t) => !t.includes(':') && !t.includes('/'))
  if (needsImage) {
    if (image === '')
      throw new Error('no image name: set `image` (e.g. ghcr.io/owner/app) or give full refs in `tags`')
    const p = parseRef(image)
    if (p.tag || p.digest) {
      throw new Error(
        `the image "${image}" must be a repository without a tag or digest (tags go in \`tags\`)`
      )
    }
  }
  let bare: string[]
  const refs: string[] = []
  if (given.length > 0) {
    bare = []
    for (const t of given) {
      if (t.includes('/') || t.includes(':') || t.includes('@')) refs.push(t)
      else bare.push(t)
    }
  } else {
    bare = eventTags(input.event)
    if (bare.length === 0) bare = ['latest']
  }
  for (const t of bare) {
    if (!TAG_RE.test(t)) {
      throw new Error(
        `invalid tag "${t}": a tag is up to 128 letters, digits, "_", "." or "-", and cannot start with "." or "-"`
      )
    }
    refs.push(`${repoOf(image)}:${t}`)
  }
  for (const r of refs) validateTagRef(r)
  const unique = [...new Set(refs)]
  const isPr = input.event.eventName === 'pull_request' || input.event.eventName === 'pull_request_target'
  // Whether a push is wanted at all (`push: auto|true|false`) is the pipeline's decision; a pull request's tags
  // are never pushable, whatever it decides.
  return { refs: unique, pushable: !isPr }
}

export interface LabelContext {
  /** `https://github.com` */
  serverUrl?: string
  /** `owner/name` */
  repository?: string
  sha?: string
  /** The image version. Without it, it is derived from `ref` as docker/metadata-action does. */
  version?: string
  /** The git ref (`refs/tags/v1.2.3` → `1.2.3`, `refs/heads/main` → `main`, `refs/pull/7/merge` → `pr-7`). */
  ref?: string
  /** The image title; defaults to the repository name. */
  title?: string
  /** Build time; defaults to now. */
  created?: Date
  /** The user's labels; they override the generated ones. */
  labels?: Record<string, string>
}

/** The version docker/metadata-action gives a git ref; undefined for refs it does not know. */
export function versionOfRef(ref: string): string | undefined {
  if (ref.startsWith('refs/tags/')) {
    const tag = ref.slice('refs/tags/'.length)
    return semver.parse(tag)?.version ?? sanitize(tag)
  }
  if (ref.startsWith('refs/heads/')) return sanitize(ref.slice('refs/heads/'.length))
  const pr = /^refs\/pull\/(\d+)\//.exec(ref)
  return pr ? `pr-${pr[1]}` : undefined
}

/** The OCI labels docker/metadata-action sets, from the GitHub context; the user's labels win. */
export function ociLabels(ctx: LabelContext): Record<string, string> {
  const out: Record<string, string> = {}
  if (ctx.repository) {
    const server = (ctx.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
    out['org.opencontainers.image.source'] = `${server}/${ctx.repository}`
    out['org.opencontainers.image.url'] = `${server}/${ctx.repository}`
    out['org.opencontainers.image.title'] = ctx.repository.split('/').pop() as string
  }
  if (ctx.title) out['org.opencontainers.image.title'] = ctx.title
  if (ctx.sha) out['org.opencontainers.image.revision'] = ctx.sha
  const version = ctx.version ?? (ctx.ref ? versionOfRef(ctx.ref) : undefined)
  if (version) out['org.opencontainers.image.version'] = version
  out['org.opencontainers.image.created'] = (ctx.created ?? new Date()).toISOString()
  return { ...out, ...(ctx.labels ?? {}) }
}
