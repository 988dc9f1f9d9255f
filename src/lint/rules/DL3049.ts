import { finalLabels } from '../labels.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3049: Rule = {
  id: 'DL3049',
  severity: 'info',
  message: 'Label `<label>` is missing.',
  help: 'Add the label required by the `label-schema` of the hadolint config (e.g. `LABEL maintainer="…"`).',
  check(ctx) {
    const required = Object.keys(ctx.config.labelSchema)
    const last = ctx.model.stages[ctx.model.stages.length - 1]
    if (required.length === 0 || !last) return []
    const present = new Set(finalLabels(ctx.model).map((l) => l.key))
    const out: Violation[] = []
    for (const k of required) if (!present.has(k)) out.push(at(last.from, `Label \`${k}\` is missing.`))
    return out
  }
}
