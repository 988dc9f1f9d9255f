import { labelsOf } from '../labels.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3051: Rule = {
  id: 'DL3051',
  severity: 'warning',
  message: 'Label `<label>` is empty.',
  help: 'Give the label a value.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      for (const l of labelsOf(st)) {
        if (l.key in ctx.config.labelSchema && l.value.trim() === '')
          out.push(at(l.ins, `Label \`${l.key}\` is empty.`))
      }
    }
    return out
  }
}
