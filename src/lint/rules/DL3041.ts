import { cmdHasArgs, hcommands } from '../hshell.js'
import { DNF, dnfOperands, isDnfInstall, rpmVersionFixed } from '../dnf.js'
import { at, type Rule, type Violation } from '../rule.js'

/**
 * As hadolint: the packages of a dnf or microdnf install must name a version (`httpd-2.4.57`); the modules of
 * `dnf module install` must name a stream (`nodejs:18`); the groups of `dnf group install` are not checked.
 */
export const DL3041: Rule = {
  id: 'DL3041',
  severity: 'warning',
  message: 'Specify version with `dnf install -y <package>-<version>`',
  help: 'Write `dnf install -y PACKAGE-VERSION` (and `dnf module install MODULE:STREAM`) so a rebuild installs the same packages.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const loose: string[] = []
      for (const c of hcommands(r.script, DNF)) {
        if (!isDnfInstall(c)) continue
        if (cmdHasArgs(c, DNF, ['module'])) {
          loose.push(...dnfOperands(c).filter((m) => !m.includes(':')))
        } else if (!cmdHasArgs(c, DNF, ['group'])) {
          loose.push(...dnfOperands(c).filter((p) => !rpmVersionFixed(p)))
        }
      }
      if (loose.length > 0)
        out.push(at(r.ins, `Specify version with dnf install: ${loose.slice(0, 5).join(', ')}.`))
    }
    return out
  }
}
