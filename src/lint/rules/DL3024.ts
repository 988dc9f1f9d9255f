import { at, type Rule, type Violation } from '../rule.js'

export const DL3024: Rule = {
  id: 'DL3024',
  severity: 'error',
  message: '`FROM` aliases (stage names) must be unique',
  help: 'Give every stage its own name in `FROM … AS name`.',
  check(ctx) {
    const out: Violation[] = []
    const seen = new Set<string>()
    for (const st of ctx.model.stages) {
      if (!st.name) continue
      if (seen.has(st.name)) out.push(at(st.from, `Duplicate FROM alias \`${st.name}\`.`))
      seen.add(st.name)
    }
    return out
  }
}
