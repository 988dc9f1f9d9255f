import type { Stage } from '../../dockerfile/parse.js'
import { labelsOf } from '../labels.js'
import { at, type Rule, type Violation } from '../rule.js'
import { imageName, rawAlias } from '../stages.js'

/**
 * As hadolint, for each label of the `label-schema`: every stage must set it, or be built FROM a stage that set
 * it. A stage that lacks it is not reported when a later stage copies from it (`COPY --from=alias`), or when a
 * stage built FROM it sets the label. The finding stands at the stage's FROM.
 */
export const DL3049: Rule = {
  id: 'DL3049',
  severity: 'info',
  message: 'Label `<label>` is missing.',
  help: 'Add the label required by the `label-schema` of the hadolint config (e.g. `LABEL maintainer="…"`).',
  check(ctx) {
    const out: Violation[] = []
    for (const label of Object.keys(ctx.config.labelSchema)) {
      const good = new Set<Stage>()
      const bad = new Set<Stage>()
      const silence = (name: string | undefined): void => {
        for (const s of bad) if (name !== undefined && rawAlias(s.from) === name) bad.delete(s)
      }
      for (const st of ctx.model.stages) {
        const parent = imageName(st.image)
        if ([...good].some((g) => rawAlias(g.from) === parent)) good.add(st)
        else bad.add(st)
        for (const ins of st.instructions) {
          if (ins.keyword === 'COPY') {
            silence(ins.flags.find((f) => f.name === 'from')?.value ?? undefined)
          } else if (
            ins.keyword === 'LABEL' &&
            labelsOf({ ...st, instructions: [ins] }).some((l) => l.key === label)
          ) {
            silence(rawAlias(st.from) ?? parent)
            bad.delete(st)
            good.add(st)
          }
        }
      }
      for (const st of bad) out.push(at(st.from, `Label \`${label}\` is missing.`))
    }
    return out.sort((a, b) => a.line - b.line)
  }
}
