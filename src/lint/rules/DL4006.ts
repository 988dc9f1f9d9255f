import type { Instruction } from '../../dockerfile/parse.js'
import { at, base, type Rule, type Violation } from '../rule.js'

const NON_POSIX = ['pwsh', 'powershell', 'cmd', 'cmd.exe', 'powershell.exe', 'pwsh.exe']

export const DL4006: Rule = {
  id: 'DL4006',
  severity: 'warning',
  message: 'Set the SHELL option -o pipefail before RUN with a pipe in it',
  help: 'Add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN, so a failing command in a pipe fails the build.',
  check(ctx) {
    const out: Violation[] = []
    const shellOf = new Map<string, Instruction | undefined>()
    for (const st of ctx.model.stages) {
      let shell = shellOf.get(st.image.toLowerCase())
      for (const i of st.instructions) {
        if (i.keyword === 'SHELL') shell = i
        if (i.keyword !== 'RUN' || i.json) continue
        const argv = shell?.json ?? []
        if (argv[0] && NON_POSIX.includes(base(argv[0]).toLowerCase())) continue
        const pipefail = argv.some((a, k) => /^-[a-z]*o$/.test(a) && argv[k + 1] === 'pipefail')
        if (pipefail) continue
        const script = ctx.shell(i)
        const setsPipefail = script.commands.some(
          (c) =>
            base(c.name) === 'set' &&
            c.args.some((a, k) => /^-[a-z]*o$/.test(a) && c.args[k + 1] === 'pipefail')
        )
        if (script.hasPipe && !setsPipefail) out.push(at(i))
      }
      if (st.name) shellOf.set(st.name, shell)
    }
    return out
  }
}
