import { describe, it, expect } from '@jest/globals'
import { parseShell, runScript } from '../../src/dockerfile/shell.js'
import { parseDockerfile } from '../../src/dockerfile/parse.js'

const argv = (script: string): string[][] => parseShell(script).commands.map((c) => [c.name, ...c.args])

describe('parseShell', () => {
  it('splits commands across &&, ||, ;, & and newlines', () => {
    expect(argv('apt-get update && apt-get install -y curl || echo failed; make &\nls -l')).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'curl'],
      ['echo', 'failed'],
      ['make'],
      ['ls', '-l']
    ])
  })

  it('records pipelines, including around subshells', () => {
    const s = parseShell('curl -fsS https://x | sh -s -- -y; (cd /a && make) | tee log')
    const curl = s.commands.find((c) => c.name === 'curl')
    const sh = s.commands.find((c) => c.name === 'sh')
    expect(curl?.pipeline).toBe(sh?.pipeline)
    expect([curl?.pipelineIndex, sh?.pipelineIndex, sh?.pipelineLength]).toEqual([0, 1, 2])
    expect(s.hasPipe).toBe(true)
    expect(argv('(cd /a && make) | tee log')).toEqual([['cd', '/a'], ['make'], ['tee', 'log']])
    expect(parseShell('a || b').hasPipe).toBe(false)
  })

  it('removes quotes and escapes from words, keeping quoted operators as text', () => {
    expect(argv(`echo "a && b" 'c | d' e\\;f "x"y`)).toEqual([['echo', 'a && b', 'c | d', 'e;f', 'xy']])
  })

  it('finds commands inside $( ), backquotes and { } groups, and marks substitutions', () => {
    const s = parseShell('v="$(dpkg --print-architecture)"; echo `uname -m`; { sudo true; }')
    expect(s.commands.map((c) => [c.name, c.substitution])).toEqual([
      ['echo', false],
      ['sudo', false],
      ['dpkg', true],
      ['uname', true]
    ])
    expect(s.commands[0].args).toEqual(['`uname -m`'])
  })

  it('takes leading assignments apart and keeps them', () => {
    const s = parseShell('DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata; A="x y" B=2')
    expect(s.commands).toHaveLength(1)
    expect(s.commands[0].name).toBe('apt-get')
    expect(s.commands[0].assignments).toEqual(['DEBIAN_FRONTEND=noninteractive'])
  })

  it('drops redirections and their targets from the arguments', () => {
    expect(argv('make >/dev/null 2>&1; cat < in.txt >> out.txt; cmd 2> err &> all')).toEqual([
      ['make'],
      ['cat'],
      ['cmd']
    ])
  })

  it('skips here-document bodies', () => {
    expect(argv('cat <<EOF > /etc/x\nsudo rm -rf /\nEOF\necho done')).toEqual([['cat'], ['echo', 'done']])
  })

  it('reads into if/while/for bodies and skips the control words', () => {
    expect(
      argv('if [ -f a ]; then sudo x; else y; fi; for i in 1 2; do rm $i; done; while true; do break; done')
    ).toEqual([['[', '-f', 'a', ']'], ['sudo', 'x'], ['y'], ['rm', '$i'], ['true'], ['break']])
  })

  it('ignores comments', () => {
    expect(argv('echo a # sudo rm -rf /\necho b')).toEqual([
      ['echo', 'a'],
      ['echo', 'b']
    ])
  })

  it('reports unbalanced quotes and substitutions instead of throwing', () => {
    const s = parseShell('echo "unterminated && sudo x')
    expect(s.errors).toContain('unterminated double quote')
    expect(parseShell("echo 'x").errors).toContain('unterminated single quote')
    expect(parseShell('echo $(date').errors).toContain('unterminated $( substitution')
  })
})

describe('runScript', () => {
  const run = (text: string): string[][] => {
    const m = parseDockerfile(`FROM debian:12\n${text}\n`)
    const ins = m.instructions.find((i) => i.keyword === 'RUN')
    if (!ins) throw new Error('no RUN')
    return runScript(ins).commands.map((c) => [c.name, ...c.args])
  }

  it('reads the shell form with continuation lines and the comment lines between them', () => {
    expect(run('RUN apt-get install -y \\\n    curl \\\n# a comment line\n    wget && echo ok')).toEqual([
      ['apt-get', 'install', '-y', 'curl', 'wget'],
      ['echo', 'ok']
    ])
  })

  it('drops indented comment lines between continuation lines, also those ending in a backslash', () => {
    expect(run('RUN echo a \\\n    # a comment \\\n    | tee log \\\n  # another\n  && echo b')).toEqual([
      ['echo', 'a'],
      ['tee', 'log'],
      ['echo', 'b']
    ])
    const m = parseDockerfile('FROM debian:12\nENV A=1 \\\n    # B=$A \\\n    C=2\n')
    expect(m.instructions[1].argv).toEqual(['A=1', 'C=2'])
    // a comment with the same text inside a command stays
    expect(run('RUN echo "# x" \\\n  # x\n  && true')).toEqual([['echo', '# x'], ['true']])
  })

  it('reads the exec form, and the script of an exec-form `sh -c`', () => {
    expect(run('RUN ["apt-get", "install", "-y", "curl"]')).toEqual([['apt-get', 'install', '-y', 'curl']])
    expect(run('RUN ["/bin/sh", "-c", "curl x | sh"]')).toEqual([['curl', 'x'], ['sh']])
  })

  it('runs the body of a bare heredoc RUN as the script, but not heredoc data for another command', () => {
    expect(run('RUN <<EOF\napt-get update\napt-get install -y curl\nEOF')).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'curl']
    ])
    expect(run('RUN python3 <<EOF\nimport os\nEOF')).toEqual([['python3']])
    expect(run('RUN <<EOF\n#!/usr/bin/env python3\nprint("x")\nEOF')).toEqual([])
  })
})
