import { at, base, type Rule, type Violation } from '../rule.js'

const FETCH = ['curl', 'wget']
const INTERPRETERS = /^(sh|bash|dash|ash|zsh|ksh|python[0-9.]*|perl|ruby|node|php)$/

export const SI1003: Rule = {
  id: 'SI1003',
  severity: 'warning',
  message: 'A script downloaded from the network is piped straight into an interpreter (`curl … | sh`).',
  help: 'Download the script to a file, verify its checksum or signature, then run it; or install the tool from a package.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const cmds = r.script.commands
      const piped = cmds.some(
        (c) =>
          FETCH.includes(base(c.name)) &&
          cmds.some(
            (d) =>
              d.pipeline === c.pipeline &&
              d.pipelineIndex > c.pipelineIndex &&
              INTERPRETERS.test(base(sudoless(d)))
          )
      )
      const substituted = cmds.some(
        (c) => INTERPRETERS.test(base(c.name)) && c.args.some((a) => /(\$\(|`|<\()\s*(curl|wget)\b/.test(a))
      )
      const processSub = /\b(sh|bash|zsh)\s+<\(\s*(curl|wget)\b/.test(r.ins.args)
      if (piped || substituted || processSub) out.push(at(r.ins))
    }
    return out
  }
}

function sudoless(c: { name: string; args: string[] }): string {
  if (base(c.name) !== 'sudo' && base(c.name) !== 'env') return c.name
  return c.args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? c.name
}
