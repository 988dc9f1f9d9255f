/**
 * Image reference parsing and normalization, following the reference grammar of the Docker distribution
 * library (`github.com/distribution/reference`, `ParseNormalizedNamed`):
 *
 *     reference        := name [ ":" tag ] [ "@" digest ]
 *     name             := [domain '/'] remote-name
 *     domain           := host [':' port-number]
 *     host             := domain-name | IPv4address | \[ IPv6address \]
 *     domain-name      := domain-component ['.' domain-component]*
 *     domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *     port-number      := /[0-9]+/
 *     path-component   := alpha-numeric [separator alpha-numeric]*
 *     remote-name      := path-component ['/' path-component]*
 *     alpha-numeric    := /[a-z0-9]+/
 *     separator        := /[_.]|__|[-]+/
 *     tag              := /[\w][\w.-]{0,127}/
 *     digest           := algorithm ":" hex   (sha256, sha384 or sha512, lower-case hex of the exact length)
 *
 * Familiar names are normalized as Docker does: `node:20` is `docker.io/library/node:20`, `acme/app` is
 * `docker.io/acme/app`, and `index.docker.io` is `docker.io`. The first path element is a domain when it
 * contains a `.` or a `:`, is `localhost`, or is not lower-case.
 */

export interface ImageReference {
  /** The registry host (and port), e.g. `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  domain: string
  /** The repository path inside the registry, e.g. `library/node`. */
  path: string
  /** `domain/path`: the normalized repository name, without tag or digest. */
  name: string
  tag?: string
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string
}

/** Thrown by `parseReference` for a string that is not a valid image reference; `reason` says why. */
export class InvalidReferenceError extends Error {
  readonly reference: string
  readonly reason: string
  constructor(reference: string, reason: string) {
    super(`invalid image reference "${reference}": ${reason}`)
    this.name = 'InvalidReferenceError'
    this.reference = reference
    this.reason = reason
  }
}

/** The Docker Hub domain that familiar names normalize to. */
export const DOCKER_HUB = 'docker.io'
/** The names under which Docker Hub is known; all mean `docker.io`. */
export const DOCKER_HUB_ALIASES: readonly string[] = [
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'hub.docker.com'
]
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
const OFFICIAL_REPO_PREFIX = 'library/'
/** Longest repository path (the part after the domain) that the distribution library accepts. */
export const REPOSITORY_PATH_MAX = 255

const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }

// The grammar, built up as the distribution library builds its regular expressions. Matching order and
// captures are the same in JavaScript (backtracking, leftmost-first) as in Go's RE2 for these patterns.
const alphanumeric = '[a-z0-9]+'
const separator = '(?:[._]|__|[-]+)'
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const optionalPort = '(?::[0-9]+)?'
const tagPat = '[\\w][\\w.-]{0,127}'
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}'
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]'
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`
const host = `(?:${domainName}|${ipv6address})`
const domainAndPort = host + optionalPort
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`
const remoteName = `${pathComponent}(?:/${pathComponent})*`
const namePat = `(?:${domainAndPort}/)?${remoteName}`

const referenceRegexp = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`)
const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`)
const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/
const anchoredTagRegexp = new RegExp(`^${tagPat}$`)

/**
 * Parses and normalizes an image reference as `ParseNormalizedNamed` does. Throws `InvalidReferenceError`
 * with the reason (upper case, bad digest, too long, bad format) for anything Docker would reject.
 */
export function parseReference(s: string): ImageReference {
  if (s === '') throw new InvalidReferenceError(s, 'the image reference is empty')
  if (anchoredIdentifierRegexp.test(s)) {
    throw new InvalidReferenceError(
      s,
      'a 64-character hexadecimal string is an image ID, not a repository name'
    )
  }
  const [domain, remainder] = splitDockerDomain(s)
  const tagSep = remainder.indexOf(':')
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder
  if (remote.toLowerCase() !== remote) {
    throw new InvalidReferenceError(s, `repository name "${remote}" must be lowercase${hint(s)}`)
  }
  return parseFull(s, `${domain}/${remainder}`)
}

/** Like `parseReference`, but returns undefined instead of throwing. */
export function tryParseReference(s: string): ImageReference | undefined {
  try {
    return parseReference(s)
  } catch (err) {
    if (err instanceof InvalidReferenceError) return undefined
    throw err
  }
}

/** Splits a name into its domain and remote name, adding the Docker Hub defaults (`splitDockerDomain`). */
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/')
  if (slash < 0) return [DOCKER_HUB, OFFICIAL_REPO_PREFIX + name]
  const maybeDomain = name.slice(0, slash)
  const maybeRemote = name.slice(slash + 1)
  let domain: string
  let remote: string
  if (maybeDomain === 'localhost') [domain, remote] = [maybeDomain, maybeRemote]
  else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remote] = [DOCKER_HUB, maybeRemote]
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote]
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote]
  else [domain, remote] = [DOCKER_HUB, name]
  if (domain === DOCKER_HUB && !remote.includes('/')) remote = OFFICIAL_REPO_PREFIX + remote
  return [domain, remote]
}

/** `Parse` of the distribution library, on an already normalized string; `original` is for messages. */
function parseFull(original: string, s: string): ImageReference {
  const m = referenceRegexp.exec(s)
  if (!m) {
    const lower = s.toLowerCase()
    if (lower !== s && referenceRegexp.test(lower)) {
      throw new InvalidReferenceError(original, `repository name must be lowercase${hint(original)}`)
    }
    throw new InvalidReferenceError(original, `invalid reference format${hint(original)}`)
  }
  const nameMatch = anchoredNameRegexp.exec(m[1])
  const domain = nameMatch?.[1] ?? ''
  const path = nameMatch ? nameMatch[2] : m[1]
  if (path.length > REPOSITORY_PATH_MAX) {
    throw new InvalidReferenceError(
      original,
      `repository name must not be more than ${REPOSITORY_PATH_MAX} characters (its path "${truncate(path)}" has ${path.length})`
    )
  }
  const ref: ImageReference = { domain, path, name: domain ? `${domain}/${path}` : path }
  if (m[2] !== undefined) ref.tag = m[2]
  if (m[3] !== undefined) {
    validateDigest(original, m[3])
    ref.digest = m[3]
  }
  return ref
}

/** The digest checks of `go-digest`'s `Parse`: a known algorithm, hex of its exact length, lower case. */
function validateDigest(original: string, digest: string): void {
  const i = digest.indexOf(':')
  const algorithm = digest.slice(0, i)
  const encoded = digest.slice(i + 1)
  const size = DIGEST_HEX_LENGTH[algorithm]
  if (size === undefined) {
    throw new InvalidReferenceError(
      original,
      `unsupported digest algorithm "${algorithm}" (supported: ${Object.keys(DIGEST_HEX_LENGTH).join(', ')})`
    )
  }
  if (encoded.length !== size) {
    throw new InvalidReferenceError(
      original,
      `invalid digest length: a ${algorithm} digest has ${size} hex characters, this one has ${encoded.length}`
    )
  }
  if (!/^[a-f0-9]+$/.test(encoded)) {
    throw new InvalidReferenceError(original, 'invalid digest format: the hex part must be lower-case')
  }
}

/** A hint for the common mistakes behind a format error. */
function hint(s: string): string {
  if (s.includes('$')) return ' (it contains an unexpanded `$` variable)'
  if (/\s/.test(s)) return ' (it contains white space)'
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return ' (an image reference has no URL scheme)'
  return ''
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}

/** True when `tag` is a valid tag. */
export function isValidTag(tag: string): boolean {
  return anchoredTagRegexp.test(tag)
}

/**
 * The familiar form of the repository name, as the Docker CLI shows it: `docker.io/library/node` is `node`,
 * `docker.io/acme/app` is `acme/app`; other registries are kept.
 */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DOCKER_HUB) return ref.name
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length)
    if (!rest.includes('/')) return rest
  }
  return ref.path
}

/** The full normalized reference: `name[:tag][@digest]`. */
export function referenceString(ref: ImageReference): string {
  return (
    ref.name +
    (ref.tag !== undefined ? `:${ref.tag}` : '') +
    (ref.digest !== undefined ? `@${ref.digest}` : '')
  )
}

/** The familiar form of the whole reference: `node:20`, `ghcr.io/a/b@sha256:…`. */
export function familiarString(ref: ImageReference): string {
  return (
    familiarName(ref) +
    (ref.tag !== undefined ? `:${ref.tag}` : '') +
    (ref.digest !== undefined ? `@${ref.digest}` : '')
  )
}

/**
 * The repository name as the allowlist compares it: the domain in lower case (host names are not case
 * sensitive), every Docker Hub alias written as `docker.io`, and Hub's official images under `library/`.
 */
export function canonicalRepository(ref: ImageReference): string {
  const domain = ref.domain.toLowerCase()
  if (!DOCKER_HUB_ALIASES.includes(domain)) return `${domain}/${ref.path}`
  return `${DOCKER_HUB}/${ref.path.includes('/') ? ref.path : OFFICIAL_REPO_PREFIX + ref.path}`
}
