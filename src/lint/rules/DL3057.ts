import { at, type Rule, type Violation } from '../rule.js'

/**
 * hadolint's DL3057, off by default: each stage without a HEALTHCHECK, at its FROM, unless it is built `FROM` a
 * stage that has one. SI1005 is the check that runs by default, on the final image only.
 */
export const DL3057: Rule = {
  id: 'DL3057',
  severity: 'info',
  defaultOff: true,
  message: '`HEALTHCHECK` instruction missing.',
  help: 'Add `HEALTHCHECK CMD …` (or `HEALTHCHECK NONE` to say there is none on purpose).',
  check(ctx) {
    const good = new Set<string>()
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      const id = st.name ?? st.image.toLowerCase()
      if (good.has(st.image.toLowerCase()) || st.instructions.some((i) => i.keyword === 'HEALTHCHECK')) {
        good.add(id)
      } else {
        out.push(at(st.from))
      }
    }
    return out
  }
}
