import { at, type Rule, type Violation } from '../rule.js'

export const DL3061: Rule = {
  id: 'DL3061',
  severity: 'error',
  message: 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
  help: 'Move the instruction after the first FROM; only ARG may come before it.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of ctx.model.instructions) {
      if (i.keyword === 'FROM') break
      if (i.keyword !== 'ARG') out.push(at(i))
    }
    return out
  }
}
