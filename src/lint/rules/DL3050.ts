import { labelsOf } from '../labels.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3050: Rule = {
  id: 'DL3050',
  severity: 'info',
  message: 'Superfluous label(s) present.',
  help: 'Remove the label, or add it to `label-schema` in the hadolint config (strict-labels is on).',
  check(ctx) {
    if (!ctx.config.strictLabels) return []
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      for (const l of labelsOf(st)) {
        if (!(l.key in ctx.config.labelSchema))
          out.push(at(l.ins, `Superfluous label present: \`${l.key}\`.`))
      }
    }
    return out
  }
}
