import { unquote } from '../../dockerfile/parse.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3002: Rule = {
  id: 'DL3002',
  severity: 'warning',
  message: 'Last USER should not be root.',
  help: 'Switch to an unprivileged user (e.g. `USER 10001`) after the steps that need root.',
  check(ctx) {
    // As hadolint: every stage whose last USER is root.
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      const users = st.instructions.filter((i) => i.keyword === 'USER')
      const u = users[users.length - 1]
      if (!u) continue
      const user = unquote(u.args.trim()).split(':')[0]
      if (user === 'root' || user === '0') out.push(at(u))
    }
    return out
  }
}
