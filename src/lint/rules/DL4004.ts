import { at, type Rule, type Violation } from '../rule.js'

export const DL4004: Rule = {
  id: 'DL4004',
  severity: 'error',
  message: 'Multiple `ENTRYPOINT` instructions found.',
  help: 'Keep one ENTRYPOINT per stage; only the last one takes effect.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      st.instructions
        .filter((i) => i.keyword === 'ENTRYPOINT')
        .slice(1)
        .forEach((i) => out.push(at(i)))
    }
    return out
  }
}
