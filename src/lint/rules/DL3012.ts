import { at, type Rule, type Violation } from '../rule.js'

export const DL3012: Rule = {
  id: 'DL3012',
  severity: 'error',
  message: 'Multiple `HEALTHCHECK` instructions.',
  help: 'Keep one HEALTHCHECK per stage; only the last one takes effect.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      st.instructions
        .filter((i) => i.keyword === 'HEALTHCHECK')
        .slice(1)
        .forEach((i) => out.push(at(i)))
    }
    return out
  }
}
