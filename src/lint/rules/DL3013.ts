import { argsNoFlags, hasAnyFlag, hcommandsNamed, isPipInstall, PIP_NAME, type HCommand } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/** pip's options that take a value: the word after them is no package. */
const WITH_VALUE = [
  'abi',
  'b',
  'build',
  'cache-dir',
  'cert',
  'client-cert',
  'config-settings',
  'C',
  'e',
  'editable',
  'exists-action',
  'extra-index-url',
  'f',
  'find-links',
  'global-option',
  'i',
  'implementation',
  'index-url',
  'install-option',
  'keyring-provider',
  'log',
  'no-binary',
  'only-binary',
  'platform',
  'prefix',
  'progress-bar',
  'proxy',
  'python',
  'python-version',
  'report',
  'retries',
  'root',
  'root-user-action',
  'src',
  't',
  'target',
  'timeout',
  'trusted-host',
  'upgrade-strategy',
  'use-feature'
]

/** Version-control schemes pip installs from (a pin is `@ref`). */
const VCS = [
  'git+file',
  'git+https',
  'git+ssh',
  'git+http',
  'git+git',
  'git',
  'hg+file',
  'hg+http',
  'hg+https',
  'hg+ssh',
  'hg+static-http',
  'svn',
  'svn+svn',
  'svn+http',
  'svn+https',
  'svn+ssh',
  'bzr+http',
  'bzr+https',
  'bzr+ssh',
  'bzr+sftp',
  'bzr+ftp',
  'bzr+lp'
]

const SYMBOLS = ['==', '>=', '<=', '>', '<', '!=', '~=', '===']

/**
 * As hadolint: a requirement is pinned when it has a version operator, is a VCS URL with `@`, a wheel or sdist
 * file, or a path (any other `/`). Its VCS test is a prefix test, so a name starting with `git`, `hg`, `svn` or
 * `bzr` needs an operator to count.
 */
export function pipPinned(p: string): boolean {
  const vcs = VCS.some((s) => p.startsWith(s))
  return (
    SYMBOLS.some((s) => p.includes(s)) ||
    (vcs && p.includes('@')) ||
    p.endsWith('.whl') ||
    p.endsWith('.tar.gz') ||
    (!vcs && p.includes('/'))
  )
}

/** The requirements a pip install names: words after `install` that are neither flags nor their values. */
export function pipPackages(cmd: HCommand): string[] {
  const words = argsNoFlags(cmd, WITH_VALUE)
  const i = words.indexOf('install')
  if (i < 0) return []
  let k = i
  while (words[k] === 'install') k++
  return words.slice(k)
}

/**
 * As hadolint: pip installs (`pip`, `pip3`, `pipx`, `python -m pip`) of named requirements must pin them.
 * Installs from a requirements file (`-r`), of the local project (`.`), or under a constraints file (`-c`) are
 * not checked.
 */
export const DL3013: Rule = {
  id: 'DL3013',
  severity: 'warning',
  message: 'Pin versions in pip.',
  help: 'Write `pip install PACKAGE==VERSION`, or install from a requirements file with pinned versions (`-r`).',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const loose: string[] = []
      for (const c of hcommandsNamed(r.script, PIP_NAME)) {
        if (!isPipInstall(c) || hasAnyFlag(c, ['constraint', 'c'])) continue
        if (c.args.some((a) => a === '--requirement' || a === '-r' || a === '.')) continue
        loose.push(...pipPackages(c).filter((p) => !pipPinned(p)))
      }
      if (loose.length > 0) out.push(at(r.ins, `Pin versions in pip: ${loose.slice(0, 5).join(', ')}.`))
    }
    return out
  }
}
