import { at, effective, type Rule, type Violation } from '../rule.js'

export const DL3011: Rule = {
  id: 'DL3011',
  severity: 'error',
  message: 'Valid UNIX ports range from 0 to 65535.',
  help: 'Use a port number between 0 and 65535 in EXPOSE.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model).filter((x) => x.keyword === 'EXPOSE')) {
      for (const w of i.argv) {
        if (w.includes('$')) continue
        const bad = w
          .split('/')[0]
          .split('-')
          .some((p) => /^[0-9]+$/.test(p) && Number(p) > 65535)
        if (bad) {
          out.push(at(i, `Valid UNIX ports range from 0 to 65535: ${w}.`))
          break
        }
      }
    }
    return out
  }
}
