/** How hadolint names build stages: by the alias as written, else by the image name of their FROM. */
import type { Instruction } from '../dockerfile/parse.js'

/** The `AS name` of a FROM instruction, as written (hadolint compares aliases case-sensitively). */
export function rawAlias(from: Instruction): string | undefined {
  const i = from.argv.findIndex((a) => a.toLowerCase() === 'as')
  return i >= 0 ? from.argv[i + 1] : undefined
}

/** The image name of a reference, without registry host, tag or digest (`ghcr.io/a/b:1` → `a/b`). */
export function imageName(ref: string): string {
  let r = ref.split('@')[0]
  const colon = r.lastIndexOf(':')
  if (colon > r.lastIndexOf('/')) r = r.slice(0, colon)
  const first = r.indexOf('/')
  if (first >= 0) {
    const host = r.slice(0, first)
    if (host.includes('.') || host.includes(':') || host === 'localhost') r = r.slice(first + 1)
  }
  return r
}

/** The registry host of a reference, when its first path part names one. */
export function registryHost(ref: string): string | undefined {
  const r = ref.split('@')[0]
  const first = r.indexOf('/')
  if (first < 0) return undefined
  const host = r.slice(0, first)
  return host.includes('.') || host.includes(':') || host === 'localhost' ? host : undefined
}
