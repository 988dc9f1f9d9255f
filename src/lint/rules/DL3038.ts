import { hasAnyFlag, hcommands } from '../hshell.js'
import { DNF, isDnfInstall } from '../dnf.js'
import { at, type Rule, type Violation } from '../rule.js'

/** As hadolint: a dnf or microdnf command that installs, without `-y` / `--assumeyes`. */
export const DL3038: Rule = {
  id: 'DL3038',
  severity: 'warning',
  message: 'Use the `-y` switch to avoid manual input `dnf install -y <package>`',
  help: 'Write `dnf install -y …` so the build never waits for an answer.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const bad = hcommands(r.script, DNF).some(
        (c) => isDnfInstall(c, ['groupinstall', 'localinstall']) && !hasAnyFlag(c, ['y', 'assumeyes'])
      )
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
