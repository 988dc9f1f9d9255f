import { at, type Rule, type Violation } from '../rule.js'

export const DL3043: Rule = {
  id: 'DL3043',
  severity: 'error',
  message: '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
  help: 'Remove the trigger: ONBUILD cannot run ONBUILD, FROM or MAINTAINER.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of ctx.model.instructions) {
      if (
        i.keyword === 'ONBUILD' &&
        i.trigger &&
        ['ONBUILD', 'FROM', 'MAINTAINER'].includes(i.trigger.keyword)
      )
        out.push(at(i))
    }
    return out
  }
}
