/** A small, text-only reading of an image reference as written in FROM, for the lint rules. */
export interface ImageRefText {
  /** The registry host when the first path part names one (has `.` or `:`, or is `localhost`). */
  registry?: string
  /** Repository path without registry, tag or digest. */
  repository: string
  tag?: string
  digest?: string
}

export function parseImageText(ref: string): ImageRefText {
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let registry: string | undefined
  const slash = rest.indexOf('/')
  if (slash >= 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first
      rest = rest.slice(slash + 1)
    }
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon >= 0) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  const out: ImageRefText = { repository: rest }
  if (registry) out.registry = registry
  if (tag !== undefined) out.tag = tag
  if (digest !== undefined) out.digest = digest
  return out
}
