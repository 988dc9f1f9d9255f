import { at, effective, type Rule, type Violation } from '../rule.js'
import { unquote } from '../../dockerfile/parse.js'

export const DL3021: Rule = {
  id: 'DL3021',
  severity: 'error',
  message: '`COPY` with more than 2 arguments requires the last argument to end with `/`',
  help: 'End the destination with `/` (e.g. `COPY a b /app/`) when copying several sources.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model).filter((x) => x.keyword === 'COPY')) {
      if (i.heredocs.length > 0) continue
      const words = i.json ?? i.argv.map(unquote)
      if (words.length > 2 && !words[words.length - 1].endsWith('/')) out.push(at(i))
    }
    return out
  }
}
