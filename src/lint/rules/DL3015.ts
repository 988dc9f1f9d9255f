import { at, commands, isSub, type Rule, type Violation } from '../rule.js'

export const DL3015: Rule = {
  id: 'DL3015',
  severity: 'info',
  message: 'Avoid additional packages by specifying `--no-install-recommends`.',
  help: 'Write `apt-get install -y --no-install-recommends …` to install only what you list.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = commands(r.script, ['apt-get']).some((c) => {
        if (!isSub(c, ['install'])) return false
        if (c.args.includes('--no-install-recommends')) return false
        return !c.args.some(
          (a, i) =>
            /APT::Install-Recommends=(false|0)/i.test(a) && (c.args[i - 1] === '-o' || a.startsWith('-o'))
        )
      })
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
