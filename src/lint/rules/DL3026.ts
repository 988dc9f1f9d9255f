import { parseImageText } from '../image.js'
import { at, externalFromImages, type Rule, type Violation } from '../rule.js'

function matches(registry: string, pattern: string): boolean {
  const r = registry.toLowerCase()
  const p = pattern.toLowerCase()
  if (p.startsWith('*')) return r.endsWith(p.slice(1))
  if (
    p === 'docker.io' ||
    p === 'hub.docker.com' ||
    p === 'index.docker.io' ||
    p === 'registry-1.docker.io'
  ) {
    return ['docker.io', 'hub.docker.com', 'index.docker.io', 'registry-1.docker.io'].includes(r)
  }
  return r === p
}

export const DL3026: Rule = {
  id: 'DL3026',
  severity: 'error',
  message: 'Use only an allowed registry in the FROM image',
  help: 'Take the base image from one of the registries listed under `trustedRegistries`, or add the registry there.',
  check(ctx) {
    const trusted = ctx.config.trustedRegistries
    if (trusted.length === 0) return []
    const out: Violation[] = []
    for (const { stage, image } of externalFromImages(ctx.model)) {
      const registry = parseImageText(image).registry ?? 'docker.io'
      if (!trusted.some((t) => matches(registry, t))) {
        out.push(
          at(
            stage.from,
            `Use only an allowed registry in the FROM image: \`${registry}\` is not in trustedRegistries.`
          )
        )
      }
    }
    return out
  }
}
