/** What the dnf rules (DL3038, DL3040, DL3041) share: the commands, and the subcommands that install. */
import { argsNoFlags, cmdHasArgs, type HCommand } from './hshell.js'

/** dnf and the minimal dnf of UBI images. */
export const DNF = ['dnf', 'microdnf']

/** The subcommands that install packages, with dnf's short aliases. */
export const DNF_INSTALL = ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei']

/** True for a dnf or microdnf command that installs (any of its words is an install subcommand). */
export function isDnfInstall(cmd: HCommand, extra: string[] = []): boolean {
  return cmdHasArgs(cmd, DNF, extra.length > 0 ? [...DNF_INSTALL, ...extra] : DNF_INSTALL)
}

/** The operands of an installing dnf command: its words that are not flags, without the subcommands. */
export function dnfOperands(cmd: HCommand): string[] {
  if (!isDnfInstall(cmd)) return []
  return argsNoFlags(cmd).filter((a) => !DNF_INSTALL.includes(a) && a !== 'module')
}

const VERSION_CHARS = /^[0-9A-Za-z.~^_:+]*$/

/**
 * True when an RPM package names a version: `NAME-VERSION[-RELEASE]`, where the parts after the first dash are
 * made of version characters and one of them starts with a digit; or an `.rpm` file whose name has a dash. A
 * part that is a variable (`tomcat-${VERSION}`) counts as a version: the value comes from ARG or ENV.
 */
export function rpmVersionFixed(pkg: string): boolean {
  const parts = pkg.split('-')
  if (parts.length <= 1) return false
  if (pkg.endsWith('.rpm')) return true
  const rest = parts.slice(1)
  if (rest.some((p) => p.includes('${VAR}'))) return true
  return rest.every((p) => VERSION_CHARS.test(p)) && rest.some((p) => /^[0-9]/.test(p))
}
