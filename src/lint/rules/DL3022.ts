import { at, type Rule, type Violation } from '../rule.js'

export const DL3022: Rule = {
  id: 'DL3022',
  severity: 'warning',
  message: '`COPY --from` should reference a previously defined `FROM` alias',
  help: 'Name the stage with `FROM … AS name` before the COPY, or give a full image reference (`image:tag`).',
  check(ctx) {
    const out: Violation[] = []
    const aliases = new Set<string>()
    for (const st of ctx.model.stages) {
      for (const i of st.instructions.filter((x) => x.keyword === 'COPY')) {
        const from = i.flags.find((f) => f.name === 'from')?.value
        if (!from || from.includes('$')) continue
        const known = aliases.has(from.toLowerCase()) || (/^[0-9]+$/.test(from) && Number(from) < st.index)
        if (!known && !from.includes(':') && !from.includes('@') && from.toLowerCase() !== st.name) {
          out.push(at(i, `\`COPY --from=${from}\` does not reference a previously defined FROM alias.`))
        }
      }
      if (st.name) aliases.add(st.name)
    }
    return out
  }
}
