import { at, commands, type Rule, type Violation } from '../rule.js'

export const DL4001: Rule = {
  id: 'DL4001',
  severity: 'warning',
  message: 'Either use Wget or Curl but not both.',
  help: 'Pick one download tool for the whole stage; installing and using both wastes space.',
  check(ctx) {
    // As hadolint: per stage, each RUN that uses either tool once both have been used.
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      const seen = new Set<string>()
      for (const r of ctx.runs.filter((x) => x.stage === st)) {
        const used = commands(r.script, ['wget', 'curl'])
        for (const c of used) seen.add(c.name.slice(c.name.lastIndexOf('/') + 1))
        if (used.length > 0 && seen.size >= 2) out.push(at(r.ins))
      }
    }
    return out
  }
}
