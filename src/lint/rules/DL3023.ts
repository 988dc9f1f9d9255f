import { at, type Rule, type Violation } from '../rule.js'

export const DL3023: Rule = {
  id: 'DL3023',
  severity: 'error',
  message: '`COPY --from` cannot reference its own `FROM` alias',
  help: 'Copy from an earlier stage; a stage cannot read from itself.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      for (const i of st.instructions.filter((x) => x.keyword === 'COPY')) {
        const from = i.flags.find((f) => f.name === 'from')?.value?.toLowerCase()
        if (from && (from === st.name || from === String(st.index))) out.push(at(i))
      }
    }
    return out
  }
}
