/**
 * The `allowed-registries` list: which repositories images may come from.
 *
 * An entry matches a normalized repository name (no tag, no digest) when it equals the name or is a prefix of
 * it that ends at a `/`: `docker.io/library` matches `docker.io/library/node`, `docker.io` matches all of Docker
 * Hub, `ghcr.io/acme` matches `ghcr.io/acme/base/node` but not `ghcr.io/acme-evil/x`. A `*` matches any run of
 * characters except `/` (`*.gcr.io`, `ghcr.io/acme-*`); the entry `*` alone allows everything. The Docker Hub
 * names `docker.io`, `index.docker.io`, `registry-1.docker.io` and `hub.docker.com` are one registry.
 */
import { DOCKER_HUB, DOCKER_HUB_ALIASES } from './reference.js'

/** The default list: Docker Official Images only. */
export const DEFAULT_ALLOWED_REGISTRIES: readonly string[] = ['docker.io/library']

// A domain (host[:port], or [ipv6]:port) in which `*` may stand for any run of characters except `/`.
const DOMAIN_ENTRY = /^(?:[A-Za-z0-9*](?:[A-Za-z0-9*.-]*[A-Za-z0-9*])?|\[[A-Fa-f0-9:]+\])(?::[0-9*]+)?$/
// One path component, lower case as repository names are, with `*` allowed.
const PATH_ENTRY = /^[a-z0-9*](?:[a-z0-9*._-]*[a-z0-9*])?$/

/**
 * Splits the list on commas and newlines, trims entries, drops empty ones and `#` comments, normalizes the
 * Docker Hub aliases to `docker.io` and removes duplicates. Throws an Error naming the first malformed entry.
 */
export function parseAllowlist(input: string | string[]): string[] {
  const raw = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(/[,\r\n]+/))
  const out: string[] = []
  for (const item of raw) {
    const entry = item.replace(/#.*$/, '').trim()
    if (entry === '') continue
    const normalized = normalizeEntry(entry)
    if (!out.includes(normalized)) out.push(normalized)
  }
  return out
}

function normalizeEntry(entry: string): string {
  if (entry === '*') return entry
  const fail = (why: string): never => {
    throw new Error(`allowed-registries entry "${entry}" is not valid: ${why}`)
  }
  if (/\s/.test(entry)) fail('it contains white space; separate entries with commas or newlines')
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry))
    fail('write the registry without a URL scheme, e.g. "ghcr.io/acme"')
  if (entry.includes('@')) fail('an entry names a registry or repository, not a digest')
  const trimmed = entry.replace(/\/+$/, '')
  const parts = trimmed.split('/')
  const domain = parts[0]
  const path = parts.slice(1)
  if (!DOMAIN_ENTRY.test(domain)) fail(`"${domain}" is not a registry host[:port]`)
  const isDomain = /[.:*[]/.test(domain) || domain === 'localhost' || domain.toLowerCase() !== domain
  if (!isDomain) {
    fail(
      `it must start with a registry host; for Docker Hub write "docker.io/${trimmed}"` +
        (path.length === 0 ? ` or "docker.io/library/${trimmed}"` : '')
    )
  }
  for (const p of path) {
    if (p === '') fail('it contains an empty path component ("//")')
    if (p.includes(':')) fail('an entry names a repository, not a tag; remove the ":tag"')
    if (!PATH_ENTRY.test(p))
      fail(`"${p}" is not a valid repository path component (lower-case letters, digits, . _ -)`)
  }
  const lowerDomain = domain.toLowerCase()
  const canonicalDomain = DOCKER_HUB_ALIASES.includes(lowerDomain) ? DOCKER_HUB : lowerDomain
  return [canonicalDomain, ...path].join('/')
}

const cache = new Map<string, RegExp>()

function entryRegExp(entry: string): RegExp {
  let re = cache.get(entry)
  if (!re) {
    const body = entry
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')
    re = new RegExp(`^${body}(?:/.*)?$`, 's')
    cache.set(entry, re)
  }
  return re
}

/**
 * True when the normalized repository name (e.g. `docker.io/library/node`, no tag or digest) is matched by
 * an entry of the list. The list is expected from `parseAllowlist`; the name's domain is compared in lower
 * case and its Docker Hub aliases as `docker.io`.
 */
export function isAllowed(name: string, allowlist: string[]): boolean {
  const slash = name.indexOf('/')
  let candidate = name
  if (slash > 0) {
    const domain = name.slice(0, slash).toLowerCase()
    let path = name.slice(slash + 1)
    const hub = DOCKER_HUB_ALIASES.includes(domain)
    if (hub && !path.includes('/')) path = `library/${path}`
    candidate = `${hub ? DOCKER_HUB : domain}/${path}`
  }
  return allowlist.some((entry) => entry === '*' || entryRegExp(entry).test(candidate))
}

/** The first entry of the list that allows `name`, for messages; undefined when none does. */
export function matchingEntry(name: string, allowlist: string[]): string | undefined {
  return allowlist.find((entry) => isAllowed(name, [entry]))
}
