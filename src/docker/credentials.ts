/**
 * Registry credentials for pulling base images: the push credentials for their registry, plus the optional
 * `pull-credentials` for other registries. They go to the engine in memory only (the `X-Registry-Config` header
 * of a build, the auth config of a pull), never to disk.
 */
import { parseRef, DOCKER_HUB } from './tags.js'
import { sameRegistry, type RegistryAuth } from './registry.js'

/** Docker Hub's key in an auth config map, as the engine's classic builder looks it up. */
const HUB_INDEX = 'https://index.docker.io/v1/'

/**
 * Parses `pull-credentials`: one `REGISTRY=USERNAME:PASSWORD` a line (the password may hold `:`). Blank lines and
 * `#` comments are skipped. A malformed line is an error that names its line number, never its text.
 */
export function parsePullCredentials(text: string): RegistryAuth[] {
  const out: RegistryAuth[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const eq = line.indexOf('=')
    const colon = eq > 0 ? line.indexOf(':', eq + 1) : -1
    if (eq <= 0 || colon < 0 || colon === eq + 1 || colon === line.length - 1) {
      throw new Error(`pull-credentials" line ${i + 1} is not REGISTRY=USERNAME:PASSWORD`)
    }
    out.push({
      registry: line.slice(0, eq).trim(),
      username: line.slice(eq + 1, colon),
      password: line.slice(colon + 1)
    })
  })
  return out
}

/** What must be masked in `pull-credentials`: each password, or a whole line that does not parse. */
export function pullCredentialSecrets(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const eq = l.indexOf('=')
      const colon = eq > 0 ? l.indexOf(':', eq + 1) : -1
      return colon > eq + 1 && colon < l.length - 1 ? l.slice(colon + 1) : l
    })
}

/** The credentials for the registry of `ref`, when any are given. */
export function credentialsFor(ref: string, creds: RegistryAuth[]): RegistryAuth | undefined {
  const registry = parseRef(ref).registry
  return creds.find((c) => c.password && sameRegistry(c.registry, registry))
}

/** The `X-Registry-Config` header of a build (base64 JSON keyed by registry), or undefined when there are none. */
export function registryConfigHeader(creds: RegistryAuth[]): string | undefined {
  const map: Record<string, { username: string; password: string; serveraddress: string }> = {}
  for (const c of creds) {
    if (!c.registry || !c.password) continue
    const hub = sameRegistry(c.registry, DOCKER_HUB)
    for (const key of hub ? [HUB_INDEX, DOCKER_HUB] : [c.registry]) {
      map[key] = { username: c.username, password: c.password, serveraddress: key }
    }
  }
  if (Object.keys(map).length === 0) return undefined
  // URL-safe base64 with padding, as the Docker CLI writes it (the engine decodes it with Go's URLEncoding).
  return Buffer.from(JSON.stringify(map)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

/** The auth config of a pull of `ref` (`X-Registry-Auth`), or undefined for an anonymous pull. */
export function pullAuthConfig(
  ref: string,
  creds: RegistryAuth[]
): { username: string; password: string; serveraddress: string } | undefined {
  const c = credentialsFor(ref, creds)
  if (!c) return undefined
  const hub = sameRegistry(c.registry, DOCKER_HUB)
  return { username: c.username, password: c.password, serveraddress: hub ? HUB_INDEX : c.registry }
}
