import { parseImageText } from '../image.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3007: Rule = {
  id: 'DL3007',
  severity: 'warning',
  message:
    'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag.',
  help: 'Replace `:latest` with a release tag (e.g. `:12.5`) or a digest.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      const ref = parseImageText(ctx.fromImage(st).value)
      if (ref.tag === 'latest' && ref.digest === undefined) out.push(at(st.from))
    }
    return out
  }
}
