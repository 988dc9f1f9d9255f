import { at, type Rule, type Violation } from '../rule.js'

export const DL4003: Rule = {
  id: 'DL4003',
  severity: 'warning',
  message: 'Multiple `CMD` instructions found.',
  help: 'Keep one CMD per stage; only the last one takes effect.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      st.instructions
        .filter((i) => i.keyword === 'CMD')
        .slice(1)
        .forEach((i) => out.push(at(i)))
    }
    return out
  }
}
