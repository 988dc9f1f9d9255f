import type { Instruction } from '../../dockerfile/parse.js'
import { at, type Rule, type RuleContext, type Violation } from '../rule.js'

/**
 * As hadolint: a RUN directly after a RUN (comments between do not matter) with the same flags, when each runs
 * a single command. A RUN that chains commands (`&&`, `;`, a pipe, or a `$(…)` inside: hadolint counts every
 * simple command) was most likely kept apart on purpose.
 */
export const DL3059: Rule = {
  id: 'DL3059',
  severity: 'info',
  message: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  help: 'Join consecutive RUNs with `&&` (or a heredoc) so they make one layer.',
  check(ctx) {
    const out: Violation[] = []
    const flags = (i: Instruction): string =>
      i.flags
        .map((f) => `${f.name}=${f.value}`)
        .sort()
        .join(' ')
    for (const st of ctx.model.stages) {
      for (let k = 1; k < st.instructions.length; k++) {
        const prev = st.instructions[k - 1]
        const cur = st.instructions[k]
        if (prev.keyword !== 'RUN' || cur.keyword !== 'RUN' || flags(prev) !== flags(cur)) continue
        if (count(ctx, prev) > 1 || count(ctx, cur) > 1) continue
        out.push(at(cur))
      }
    }
    return out
  }
}

function count(ctx: RuleContext, ins: Instruction): number {
  return ctx.shell(ins).commands.length
}
