import { mountOptions } from '../../dockerfile/parse.js'
import { at, externalFromImages, type Rule, type Violation } from '../rule.js'
import { imageName, rawAlias, registryHost } from '../stages.js'

/**
 * As hadolint: a `trustedRegistries` entry is a host (`ghcr.io`), `*`, `*.suffix` or `prefix*`, compared
 * case-sensitively. An image without a registry host comes from Docker Hub: it is allowed when `docker.io` or
 * `hub.docker.com` is; `scratch` always is.
 */
export function registryAllowed(trusted: string[], host: string | undefined, name: string): boolean {
  const ok = (registry: string): boolean =>
    trusted.some((p) => {
      if (p === '*') return true
      if (p.startsWith('*')) return registry.endsWith(p.slice(1))
      if (p.endsWith('*')) return registry.startsWith(p.slice(0, -1))
      return registry === p
    })
  if (host !== undefined) return ok(host)
  return name === 'scratch' || ok('docker.io') || ok('hub.docker.com')
}

/**
 * The images a build pulls must come from a trusted registry: FROM images, `COPY --from=IMAGE`, and
 * `RUN --mount=type=bind|cache,from=IMAGE`. A name that an earlier FROM gave as its alias is a stage, not an
 * image (compared as written, as hadolint does).
 */
export const DL3026: Rule = {
  id: 'DL3026',
  severity: 'error',
  message: 'Use only an allowed registry in the FROM image',
  help: 'Take the image from one of the registries listed under `trustedRegistries`, or add the registry there.',
  check(ctx) {
    const trusted = ctx.config.trustedRegistries
    if (trusted.length === 0) return []
    const out: Violation[] = []
    const images = new Map(externalFromImages(ctx).map((e) => [e.stage, e.image]))
    const aliases = new Set<string>()
    const allowed = (ref: string): boolean =>
      aliases.has(imageName(ref)) || registryAllowed(trusted, registryHost(ref), imageName(ref))
    for (const st of ctx.model.stages) {
      const image = images.get(st)
      if (image !== undefined && !allowed(image)) {
        out.push(at(st.from, `Use only an allowed registry in the FROM image: \`${image}\`.`))
      }
      const alias = rawAlias(st.from)
      if (alias !== undefined) aliases.add(alias)
      for (const ins of st.instructions) {
        if (ins.keyword === 'COPY') {
          const from = ins.flags.find((f) => f.name === 'from')?.value
          if (from && !allowed(from))
            out.push(at(ins, `Use only an allowed registry in COPY --from: \`${from}\`.`))
        } else if (ins.keyword === 'RUN') {
          const bad = ins.flags
            .filter((f) => f.name === 'mount' && f.value)
            .map((f) => mountOptions(f.value ?? ''))
            .filter((m) => ['bind', 'cache'].includes(m.get('type') ?? 'bind'))
            .map((m) => m.get('from') ?? 'scratch')
            .filter((from) => !allowed(from))
          if (bad.length > 0)
            out.push(at(ins, `Use only an allowed registry in RUN --mount from: \`${bad[0]}\`.`))
        }
      }
    }
    return out
  }
}
