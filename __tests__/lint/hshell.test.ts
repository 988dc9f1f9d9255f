/** hadolint's reading of a command, which the hadolint-compatible rules are written against. */
import { describe, it, expect } from '@jest/globals'
import { parseShell } from '../../src/dockerfile/shell.js'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import {
  argsNoFlags,
  cmdHasArgs,
  firstIndex,
  hasAnyFlag,
  hasCacheOrTmpfsMount,
  hcommands,
  isPipInstall,
  operands,
  simplify
} from '../../src/lint/hshell.js'

const one = (script: string) => hcommands(parseShell(script))[0]

describe('hadolint command reading', () => {
  it('reads variables and substitutions as ${VAR}', () => {
    expect(simplify('httpd-$V')).toBe('httpd-${VAR}')
    expect(simplify('httpd-${V}')).toBe('httpd-${VAR}')
    expect(simplify('x-$(cat /v)')).toBe('x-${VAR}')
    expect(simplify('plain')).toBe('plain')
    expect(one('dnf install -y "tomcat-${TOMCAT_VERSION}"').args).toEqual(['install', '-y', 'tomcat-${VAR}'])
  })

  it('splits short flag clusters, names long flags before =, and leaves - and -- alone', () => {
    const c = one('apt-get -qy --no-install-recommends=1 install - -- curl')
    expect(c.flags.map((f) => f.name)).toEqual(['q', 'y', 'no-install-recommends'])
    expect(hasAnyFlag(c, ['y'])).toBe(true)
    expect(hasAnyFlag(c, ['yes'])).toBe(false)
    expect(argsNoFlags(c)).toEqual(['install', '-', '--', 'curl'])
  })

  it('finds an argument anywhere in the command, not only as the subcommand', () => {
    expect(cmdHasArgs(one('dnf -y --setopt=x=1 install httpd'), ['dnf'], ['install'])).toBe(true)
    expect(cmdHasArgs(one('dnf module install nodejs:18'), 'dnf', ['install'])).toBe(true)
    expect(cmdHasArgs(one('notdnf install x'), 'dnf', ['install'])).toBe(false)
    expect(cmdHasArgs(one('/usr/bin/dnf install x'), 'dnf', ['install'])).toBe(true)
  })

  it('drops the word after a value flag as hadolint does, even after --flag=value', () => {
    expect(argsNoFlags(one('pip install -i https://x flask==3'), ['i'])).toEqual(['install', 'flask==3'])
    expect(argsNoFlags(one('pip install --index-url=https://x flask'), ['index-url'])).toEqual(['install'])
    // operands() keeps the word after `--flag=value`
    expect(operands(one('npm install --registry=https://x express'), ['registry'])).toEqual([
      'install',
      'express'
    ])
    expect(operands(one('npm install --registry https://x express'), ['registry'])).toEqual([
      'install',
      'express'
    ])
  })

  it('keeps script order and picks commands by name', () => {
    const s = parseShell('dnf clean all && rm -rf /tmp/x && dnf install -y a-1 && echo $(microdnf install b)')
    const dnf = hcommands(s, ['dnf', 'microdnf'])
    expect(dnf.map((c) => c.name)).toEqual(['dnf', 'dnf', 'microdnf'])
    expect(firstIndex(dnf, (c) => cmdHasArgs(c, 'dnf', ['install']))).toBe(2)
    expect(firstIndex(dnf, (c) => cmdHasArgs(c, 'dnf', ['clean']))).toBe(0)
    expect(firstIndex(dnf, (c) => c.name === 'yum')).toBe(-1)
  })

  it('knows pip installs as hadolint does', () => {
    expect(isPipInstall(one('pip3 install x'))).toBe(true)
    expect(isPipInstall(one('pipx install black'))).toBe(true)
    expect(isPipInstall(one('python3.12 -m pip install x'))).toBe(true)
    expect(isPipInstall(one('python3 -m venv /v'))).toBe(false)
    expect(isPipInstall(one('pip download x'))).toBe(false)
  })

  it('finds cache and tmpfs mounts by target, not bind or secret mounts', () => {
    const run = (flags: string) => parseDockerfile(`FROM debian:12\nRUN ${flags} true\n`).instructions[1]
    expect(hasCacheOrTmpfsMount(run('--mount=type=cache,target=/var/cache/libdnf5'), ['libdnf5'])).toBe(true)
    expect(hasCacheOrTmpfsMount(run('--mount=type=tmpfs,dst=/root/.cache/pip'), ['.cache/pip'])).toBe(true)
    expect(hasCacheOrTmpfsMount(run('--mount=type=bind,target=/var/cache/apk'), ['/var/cache/apk'])).toBe(
      false
    )
    expect(
      hasCacheOrTmpfsMount(run('--mount=type=cache,target=/x/var/lib/apt'), ['/var/lib/apt'], true)
    ).toBe(false)
  })
})
