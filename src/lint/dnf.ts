/** What the dnf rules (DL3038, DL3040, DL3041) share: the commands, and the subcommands that install. */
import { cmdHasArgs, type HCommand } from './hshell.js'

/** dnf and the minimal dnf of UBI images. */
export const DNF = ['dnf', 'microdnf']

/** The subcommands that install packages, with dnf's short aliases. */
export const DNF_INSTALL = ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei']

/** True for a dnf or microdnf command that installs (any of its words is an install subcommand). */
export function isDnfInstall(cmd: HCommand, extra: string[] = []): boolean {
  return cmdHasArgs(cmd, DNF, extra.length > 0 ? [...DNF_INSTALL, ...extra] : DNF_INSTALL)
}

/**
 * The operands of an installing dnf command: its words that are not flags, without the subcommands. With
 * `simplified: false`, variables keep their names (`${HTTPD_VERSION}`) instead of reading as `${VAR}`.
 */
export function dnfOperands(cmd: HCommand, simplified = true): string[] {
  if (!isDnfInstall(cmd)) return []
  const flagAt = new Set(cmd.flags.map((f) => f.at))
  const words = simplified ? cmd.args : cmd.source.args
  return words.filter((a, i) => !flagAt.has(i) && !DNF_INSTALL.includes(a) && a !== 'module')
}

const VERSION_CHARS = /^[0-9A-Za-z.~^_:+]*$/

/**
 * True when an RPM package names a version: `NAME-VERSION[-RELEASE]`, where the parts after the first dash are
 * made of version characters and one of them starts with a digit; or an `.rpm` file whose name has a dash. A
 * package with a variable (`tomcat-${VERSION}`, `tomcat-$VERSION`) is pinned when `known` knows one of the
 * variables it names.
 */
export function rpmVersionFixed(pkg: string, known: (name: string) => boolean = () => false): boolean {
  const parts = pkg.split('-')
  if (parts.length <= 1) return false
  if (pkg.endsWith('.rpm')) return true
  if (pkg.includes('$')) {
    return [...pkg.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g)].some((m) =>
      known(m[1] ?? m[2])
    )
  }
  const rest = parts.slice(1)
  return rest.every((p) => VERSION_CHARS.test(p)) && rest.some((p) => /^[0-9]/.test(p))
}
