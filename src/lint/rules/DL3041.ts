import { argDecls, envPairs, type Instruction } from '../../dockerfile/parse.js'
import { cmdHasArgs, hcommands } from '../hshell.js'
import { DNF, dnfOperands, isDnfInstall, rpmVersionFixed } from '../dnf.js'
import { at, type Rule, type RuleContext, type Violation } from '../rule.js'
import { imageName, rawAlias } from '../stages.js'

/**
 * As hadolint: the packages of a dnf or microdnf install must name a version (`httpd-2.4.57`); the modules of
 * `dnf module install` must name a stream (`nodejs:18`); the groups of `dnf group install` are not checked. A
 * package with a variable (`httpd-${HTTPD_VERSION}`) is pinned when the variable is known: declared by an ARG
 * anywhere earlier in the file, or set by an ENV of the stage or of the stage it is built FROM.
 */
export const DL3041: Rule = {
  id: 'DL3041',
  severity: 'warning',
  message: 'Specify version with `dnf install -y <package>-<version>`',
  help: 'Write `dnf install -y PACKAGE-VERSION` (and `dnf module install MODULE:STREAM`) so a rebuild installs the same packages.',
  check(ctx) {
    // Twice, as hadolint: over the Dockerfile's own instructions, and over the ONBUILD triggers alone.
    const main = ctx.model.instructions.filter((i) => i.keyword !== 'ONBUILD')
    const triggers = ctx.model.instructions.flatMap((i) =>
      i.keyword === 'ONBUILD' && i.trigger ? [i.trigger] : []
    )
    return [...scan(ctx, main), ...scan(ctx, triggers)].sort((a, b) => a.line - b.line)
  }
}

function scan(ctx: RuleContext, instructions: Instruction[]): Violation[] {
  const out: Violation[] = []
  const args = new Set<string>()
  const stageEnv = new Map<string, Set<string>>()
  let env = new Set<string>()
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const parent = stageEnv.get(imageName(ctx.model.stages[ins.stage]?.image ?? ''))
      env = new Set(parent)
      const alias = rawAlias(ins)
      if (alias !== undefined && !stageEnv.has(alias)) stageEnv.set(alias, env)
    } else if (ins.keyword === 'ARG') {
      for (const d of argDecls(ins)) args.add(d.name)
    } else if (ins.keyword === 'ENV') {
      for (const [k] of envPairs(ins)) env.add(k)
    } else if (ins.keyword === 'RUN') {
      const known = (name: string): boolean => args.has(name) || env.has(name)
      const loose: string[] = []
      for (const c of hcommands(ctx.shell(ins), DNF)) {
        if (!isDnfInstall(c)) continue
        if (cmdHasArgs(c, DNF, ['module'])) {
          loose.push(...dnfOperands(c).filter((m) => !m.includes(':')))
        } else if (!cmdHasArgs(c, DNF, ['group'])) {
          loose.push(...dnfOperands(c, false).filter((p) => !rpmVersionFixed(p, known)))
        }
      }
      if (loose.length > 0)
        out.push(at(ins, `Specify version with dnf install: ${loose.slice(0, 5).join(', ')}.`))
    }
  }
  return out
}
