import { unquote } from '../../dockerfile/parse.js'
import { at, type Rule, type Violation } from '../rule.js'

export const DL3067: Rule = {
  id: 'DL3067',
  severity: 'warning',
  message: 'Do not copy an entire filesystem from another stage',
  help: 'Copy only the paths the image needs from the other stage (e.g. `COPY --from=build /app/bin /usr/local/bin/`).',
  check(ctx) {
    const out: Violation[] = []
    for (const i of ctx.model.instructions) {
      if (i.keyword !== 'COPY' || !i.flags.some((f) => f.name === 'from')) continue
      const words = i.json ?? i.argv.map(unquote)
      if (words.length >= 2 && words[words.length - 1] === '/' && words.slice(0, -1).some((s) => s === '/'))
        out.push(at(i))
    }
    return out
  }
}
