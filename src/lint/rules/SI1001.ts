import { at, type Rule } from '../rule.js'

export const SI1001: Rule = {
  id: 'SI1001',
  severity: 'warning',
  message: 'The image has no USER instruction, so its process runs as root.',
  help: 'Create an unprivileged user and end the final stage with `USER name` or `USER 10001` (CIS Docker Benchmark 4.1).',
  check(ctx) {
    const { stages } = ctx.model
    let st = stages[stages.length - 1]
    if (!st) return []
    const last = st
    const seen = new Set<number>()
    while (st && !seen.has(st.index)) {
      seen.add(st.index)
      if (st.instructions.some((i) => i.keyword === 'USER')) return []
      const parent = st.image.toLowerCase()
      st = stages.find((s) => s.name === parent && s.index < last.index) as typeof st
    }
    return [at(last.from)]
  }
}
