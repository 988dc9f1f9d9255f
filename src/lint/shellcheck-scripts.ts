/**
 * The shell scripts ShellCheck reads for a Dockerfile: one per RUN, as hadolint builds them. Each script starts
 * with a `#!` line naming the effective shell, then `export NAME=1` for every ARG/ENV name declared before the
 * RUN (so they do not count as unassigned), then the RUN's own text. `lineMap` ties each line of the RUN text
 * back to its Dockerfile line, so a finding inside a multi-line RUN points at the right line.
 *
 * The effective shell follows hadolint's ShellCheck rule: `/bin/sh` by default, changed by `SHELL` and by the
 * `# hadolint shell=NAME` pragma (before the first FROM it sets the default for every stage); each FROM starts
 * from that default, or from the shell and names of the stage it is built `FROM`. An `ONBUILD RUN` is checked with
 * the names and shell of the ONBUILD triggers before it (they run in a child image), as hadolint does. Only shells ShellCheck reads
 * (sh, bash, dash, ash, ksh, busybox sh) are checked; a RUN under any other shell (pwsh, powershell, cmd, zsh,
 * fish, …) is skipped, as hadolint skips non-POSIX shells.
 */
import type { DockerfileModel, Instruction } from '../dockerfile/parse.js'
import { argDecls, envPairs } from '../dockerfile/parse.js'

export interface ShellcheckScript {
  /** The RUN (or the ONBUILD RUN trigger) the script comes from. */
  ins: Instruction
  /** The whole script ShellCheck reads. */
  text: string
  /** Number of lines before the RUN text (the `#!` line and the exports). */
  header: number
  /** Dockerfile line of each line of the RUN text (index 0 = first line after the header). */
  lineMap: number[]
}

/** The names every build knows without a declaration (hadolint's default set: the proxy variables). */
const DEFAULT_VARS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy'
]

/** Shell basename → the `#!` line ShellCheck gets. Anything else is not a shell ShellCheck can read. */
const SHEBANGS: Record<string, string> = {
  sh: '/bin/sh',
  bash: '/bin/bash',
  dash: '/bin/dash',
  ash: '/bin/ash',
  ksh: '/bin/ksh',
  ksh93: '/bin/ksh',
  mksh: '/bin/ksh',
  pdksh: '/bin/ksh',
  busybox: '/bin/busybox sh'
}

interface Opts {
  shell: string
  vars: Set<string>
}

const SHELL_PRAGMA = /^#\s*hadolint\s+shell\s*=\s*(\S+)/

/**
 * The `#!` interpreter for a SHELL value or pragma (`/bin/bash -o pipefail -c`, `["cmd", "/S", "/C"]` read as
 * words, `bash`), or undefined when ShellCheck cannot read that shell.
 */
export function shebangFor(shell: string): string | undefined {
  const words = shell.trim().split(/\s+/)
  let i = 0
  const name = (w: string | undefined): string =>
    (w ?? '')
      .split(/[\\/]/)
      .pop()!
      .toLowerCase()
      .replace(/\.exe$/, '')
  if (name(words[0]) === 'env') i = words.findIndex((w, n) => n > 0 && !w.startsWith('-'))
  if (i < 0) return undefined
  return SHEBANGS[name(words[i])]
}

/** The scripts of every RUN ShellCheck can read, in file order. */
export function shellcheckScripts(model: DockerfileModel): ShellcheckScript[] {
  const out: ShellcheckScript[] = []
  const fresh = (): Opts => ({ shell: '/bin/sh -c', vars: new Set(DEFAULT_VARS) })
  let started = false
  let defaults = fresh()
  let opts = fresh()
  const stageOpts: Opts[] = []
  const aliases = new Map<string, number>()
  // ONBUILD triggers run in a child image: their own ARG/ENV/SHELL make their options, nothing else does.
  let onbuild = fresh()
  const pragmas = shellPragmas(model)
  let p = 0
  for (const ins of model.instructions) {
    while (p < pragmas.length && pragmas[p].line < ins.startLine) {
      const shell = pragmas[p++].shell
      opts = { shell, vars: opts.vars }
      if (!started) defaults = { shell, vars: new Set(defaults.vars) }
    }
    if (ins.keyword === 'ONBUILD') {
      if (ins.trigger) onbuild = step(ins.trigger, onbuild)
      continue
    }
    switch (ins.keyword) {
      case 'FROM': {
        started = true
        const parent = aliases.get(ins.argv[0]?.toLowerCase() ?? '')
        const base = parent !== undefined ? stageOpts[parent] : defaults
        opts = { shell: base.shell, vars: new Set(base.vars) }
        const name = model.stages[ins.stage]?.name
        if (name !== undefined) aliases.set(name, ins.stage)
        break
      }
      default:
        opts = step(ins, opts)
    }
    if (ins.stage >= 0 && ins.keyword !== 'RUN') stageOpts[ins.stage] = opts
  }
  return out

  /** ARG, ENV and SHELL change the options; a RUN is checked with them. */
  function step(ins: Instruction, o: Opts): Opts {
    switch (ins.keyword) {
      case 'ARG':
        return { shell: o.shell, vars: new Set([...o.vars, ...argDecls(ins).map((d) => d.name)]) }
      case 'ENV':
        return { shell: o.shell, vars: new Set([...o.vars, ...envPairs(ins).map(([k]) => k)]) }
      case 'SHELL':
        return { shell: (ins.json ?? ins.argv).join(' '), vars: o.vars }
      case 'RUN': {
        const s = scriptFor(ins, o, model.escape)
        if (s) out.push(s)
        return o
      }
      default:
        return o
    }
  }
}

function shellPragmas(model: DockerfileModel): { line: number; shell: string }[] {
  const out: { line: number; shell: string }[] = []
  const lines = model.text.split(/\r?\n/)
  let i = 0
  for (const ins of [...model.instructions, undefined]) {
    const end = ins ? ins.startLine - 1 : lines.length
    for (; i < end; i++) {
      const m = SHELL_PRAGMA.exec(lines[i].trim())
      if (m) out.push({ line: i + 1, shell: m[1] })
    }
    if (ins) i = ins.endLine
  }
  return out
}

function scriptFor(ins: Instruction, opts: Opts, escape: string): ShellcheckScript | undefined {
  let shebang = shebangFor(opts.shell)
  if (!shebang) return undefined
  let body: { text: string; line: number }[]
  if (ins.json) {
    // The exec form is read as its words joined by spaces, as hadolint reads it.
    body = [{ text: ins.json.join(' '), line: ins.startLine }]
  } else {
    const lines = ins.raw.split(/\r?\n/).map((text, i) => ({ text, line: ins.startLine + i }))
    lines[0] = { text: stripKeyword(lines[0].text), line: ins.startLine }
    const bare =
      ins.heredocs.length > 0 &&
      /^<<-?\s*(['"]?)[A-Za-z0-9_.-]+\1(\s+<<-?\s*(['"]?)[A-Za-z0-9_.-]+\3)*\s*$/.test(lines[0].text.trim())
    if (bare) {
      const docs = heredocBodies(lines)
      if (docs.length === 0) return undefined
      const first = docs[0][0]?.text ?? ''
      if (first.startsWith('#!')) {
        shebang = shebangFor(first.slice(2))
        if (!shebang) return undefined
        docs[0] = docs[0].slice(1)
      }
      body = docs.flat()
    } else if (ins.heredocs.length > 0) {
      body = lines
    } else {
      body = [
        lines[0],
        ...lines.slice(1).filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'))
      ]
      if (escape !== '\\') {
        body = body.map((l) =>
          l.text.endsWith(escape) ? { text: l.text.slice(0, -1) + '\\', line: l.line } : l
        )
      }
    }
  }
  const exports = [...opts.vars]
    .filter((v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v))
    .sort()
    .map((v) => `export ${v}=1`)
  const text = [`#!${shebang}`, ...exports, ...body.map((l) => l.text)].join('\n') + '\n'
  return { ins, text, header: 1 + exports.length, lineMap: body.map((l) => l.line) }
}

/** The first line of a RUN without its keyword (`RUN`, `ONBUILD RUN`) and its `--flags`. */
function stripKeyword(line: string): string {
  let rest = line.replace(/^\s*(?:ONBUILD\s+)?RUN\b\s*/i, '')
  for (;;) {
    const m = /^--[A-Za-z][A-Za-z0-9-]*(?:=(?:"[^"]*"|'[^']*'|\S*))?\s*/.exec(rest)
    if (!m || m[0].length === 0) return rest
    rest = rest.slice(m[0].length)
  }
}

/** The bodies of the heredocs opened on the first line, each a list of its lines. */
function heredocBodies(lines: { text: string; line: number }[]): { text: string; line: number }[][] {
  const docs = [...lines[0].text.matchAll(/<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/g)].map((m) => ({
    strip: m[1] === '-',
    delim: m[3]
  }))
  const out: { text: string; line: number }[][] = []
  let i = 1
  for (const d of docs) {
    const body: { text: string; line: number }[] = []
    for (; i < lines.length; i++) {
      const t = d.strip ? lines[i].text.replace(/^\t+/, '') : lines[i].text
      if (t === d.delim) {
        i++
        break
      }
      body.push({ text: t, line: lines[i].line })
    }
    out.push(body)
  }
  return out
}
