import { at, type Rule } from '../rule.js'

export const SI1005: Rule = {
  id: 'SI1005',
  severity: 'info',
  message: 'The image has no HEALTHCHECK instruction.',
  help: 'Add `HEALTHCHECK CMD …` to the final stage so the runtime can tell when the container is unhealthy (CIS Docker Benchmark 4.6).',
  check(ctx) {
    const { stages } = ctx.model
    const last = stages[stages.length - 1]
    if (!last) return []
    let st: typeof last | undefined = last
    const seen = new Set<number>()
    while (st && !seen.has(st.index)) {
      seen.add(st.index)
      if (st.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return []
      const parent = st.image.toLowerCase()
      st = stages.find((s) => s.name === parent && s.index < last.index)
    }
    return [at(last.from)]
  }
}
