import { expandFromImage } from '../../dockerfile/parse.js'
import { parseImageText } from '../image.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3006: Rule = {
  id: 'DL3006',
  severity: 'warning',
  message: 'Always tag the version of an image explicitly.',
  help: 'Write the tag (e.g. `FROM debian:12`), or better a digest, so the build does not move with `latest`.',
  check(ctx) {
    const out: Violation[] = []
    const aliases = new Set<string>()
    for (const st of ctx.model.stages) {
      const e = expandFromImage(ctx.model, st)
      const image = e.value
      if (
        e.unresolved.length === 0 &&
        image &&
        image.toLowerCase() !== 'scratch' &&
        !aliases.has(image.toLowerCase())
      ) {
        const ref = parseImageText(image)
        if (ref.tag === undefined && ref.digest === undefined)
          out.push(at(st.from, `Always tag the version of an image explicitly: \`${image}\`.`))
      }
      if (st.name) aliases.add(st.name)
    }
    return out
  }
}
