import { at, effective, type Rule, type Violation } from '../rule.js'

export const SI1007: Rule = {
  id: 'SI1007',
  severity: 'warning',
  message: 'The image exposes port 22 (SSH).',
  help: 'Do not run an SSH server in a container; use `docker exec` (CIS Docker Benchmark 5.6).',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model).filter((x) => x.keyword === 'EXPOSE')) {
      if (i.argv.some((w) => /^22(\/(tcp|udp))?$/i.test(w))) out.push(at(i))
    }
    return out
  }
}
