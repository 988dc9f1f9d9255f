import type { ShellCommand } from '../../dockerfile/shell.js'
import { at, base, commands, type Rule } from '../rule.js'

/** First operand (not a flag) of a command: its subcommand. */
function sub(c: ShellCommand): string | undefined {
  return c.args.find((a) => !a.startsWith('-'))
}

/** Package-index refreshes, per tool. */
function isRefresh(c: ShellCommand): boolean {
  const b = base(c.name)
  const s = sub(c)
  if (b === 'apt-get' || b === 'apt' || b === 'aptitude') return s === 'update'
  if (b === 'apk') return s === 'update'
  if (['yum', 'dnf', 'microdnf', 'tdnf'].includes(b)) return s === 'makecache'
  if (b === 'zypper') return s === 'refresh' || s === 'ref'
  return false
}

const INSTALLS: Record<string, string[]> = {
  'apt-get': ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'download'],
  apt: ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'download'],
  aptitude: ['install', 'upgrade', 'safe-upgrade', 'full-upgrade', 'build-dep', 'download'],
  apk: ['add', 'upgrade', 'fix', 'fetch'],
  yum: [
    'install',
    'update',
    'upgrade',
    'reinstall',
    'groupinstall',
    'localinstall',
    'downgrade',
    'distro-sync'
  ],
  dnf: ['install', 'update', 'upgrade', 'reinstall', 'groupinstall', 'downgrade', 'distro-sync', 'in', 'up'],
  microdnf: ['install', 'update', 'upgrade', 'reinstall'],
  tdnf: ['install', 'update', 'upgrade', 'reinstall'],
  zypper: ['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si']
}

/** A command that installs or upgrades from the refreshed index. */
function isInstall(c: ShellCommand): boolean {
  const subs = INSTALLS[base(c.name)]
  const s = sub(c)
  return subs !== undefined && s !== undefined && subs.includes(s)
}

/**
 * CIS Docker Benchmark 4.7: an update instruction used alone. A RUN that refreshes the package index
 * (`apt-get update`, `apk update`, `yum makecache`, `zypper refresh`) without installing anything in the same
 * RUN leaves a cached layer that a later `install` reuses even when the index moved on, so the install gets
 * stale or missing packages.
 */
export const SI1011: Rule = {
  id: 'SI1011',
  severity: 'warning',
  message: 'The package index is updated in a RUN that installs nothing (CIS Docker Benchmark 4.7).',
  help: 'Update and install in the same RUN (`apt-get update && apt-get install -y …`), so the build cache never reuses a stale index.',
  check(ctx) {
    const tools = ['apt-get', 'apt', 'aptitude', 'apk', 'yum', 'dnf', 'microdnf', 'tdnf', 'zypper']
    return ctx.runs
      .filter((r) => {
        const cmds = commands(r.script, tools)
        return cmds.some(isRefresh) && !cmds.some(isInstall)
      })
      .map((r) => at(r.ins))
  }
}
