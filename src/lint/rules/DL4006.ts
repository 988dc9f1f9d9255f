import { parseShell } from '../../dockerfile/shell.js'
import { hasAnyFlag, hcommands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

const NON_POSIX = ['pwsh', 'powershell', 'cmd']

/** True when a SHELL's command line is bash, zsh or ash with `-o pipefail` (also `-eo pipefail`). */
function setsPipefail(text: string): boolean {
  return hcommands(parseShell(text)).some(
    (c) => ['bash', 'zsh', 'ash'].includes(c.name) && hasAnyFlag(c, ['o']) && c.args.includes('pipefail')
  )
}

/**
 * As hadolint: a RUN with a pipe needs a SHELL with `-o pipefail` (bash, zsh or ash; plain `sh` does not
 * count) earlier in the same stage. Each FROM starts without one, even when it builds on a stage that set it:
 * hadolint does not carry SHELL over. A non-POSIX SHELL (pwsh, powershell, cmd) turns the check off.
 */
export const DL4006: Rule = {
  id: 'DL4006',
  severity: 'warning',
  message: 'Set the SHELL option -o pipefail before RUN with a pipe in it',
  help: 'Add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN, so a failing command in a pipe fails the build.',
  check(ctx) {
    const out: Violation[] = []
    let ok = false
    for (const i of ctx.model.instructions) {
      if (i.keyword === 'FROM') ok = false
      else if (i.keyword === 'SHELL') {
        const text = i.json ? i.json.join(' ') : i.args
        ok = NON_POSIX.some((s) => text.startsWith(s)) || setsPipefail(text)
      } else if (i.keyword === 'RUN' && !ok && ctx.shell(i).hasPipe) out.push(at(i))
    }
    return out
  }
}
