/**
 * Shell analysis of RUN instructions: a POSIX/bash lexer and command splitter that finds every simple command
 * and its words across `&&`, `||`, `;`, `&`, pipes, subshells, `{ …; }` groups, `$(…)` and backquote
 * substitutions, `if`/`while`/`for` bodies, with quotes and escapes removed from the words and redirections
 * (including here-documents) taken out of the arguments. It never throws: unbalanced quotes or parentheses are
 * reported in `errors` and the text read so far is still analysed.
 */
import type { Instruction } from './parse.js'
import { isSpaceCode } from './space.js'

export interface ShellCommand {
  /** The command name, as the shell would run it, with its path kept (`/usr/bin/apt-get`). */
  name: string
  /** The arguments after the name, quotes removed. */
  args: string[]
  /** Variable assignments written before the command (`DEBIAN_FRONTEND=noninteractive apt-get …`). */
  assignments: string[]
  /** Index of the pipeline this command belongs to, and its position in it. */
  pipeline: number
  pipelineIndex: number
  /** Number of commands in the pipeline. */
  pipelineLength: number
  /** True when the command came from inside `$(…)` or backquotes. */
  substitution: boolean
}

export interface ShellScript {
  commands: ShellCommand[]
  /** True when any pipe (`|`, `|&`) joins two commands, including around subshells. */
  hasPipe: boolean
  errors: string[]
}

const RESERVED_PREFIX = new Set([
  '{',
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  '!',
  'time',
  'exec'
])
const RESERVED_ALONE = new Set(['fi', 'done', 'esac', '}', ';;'])

interface Token {
  kind: 'word' | 'op'
  value: string
  /** For words: true when any part was quoted (a quoted word is never a reserved word). */
  quoted: boolean
  /** For words: where the first quoted part starts in `value` (-1 when none). */
  quotedAt: number
}

/** Analyses shell text into its simple commands. */
export function parseShell(script: string): ShellScript {
  const out: ShellScript = { commands: [], hasPipe: false, errors: [] }
  const state = { pipeline: 0 }
  analyse(script, out, state, false, 0)
  return out
}

/** The basename of a command name: `/usr/bin/apt-get` → `apt-get`. */
export function commandBase(name: string): string {
  const i = name.lastIndexOf('/')
  return i >= 0 ? name.slice(i + 1) : name
}

function analyse(
  script: string,
  out: ShellScript,
  state: { pipeline: number },
  subst: boolean,
  depth: number
): void {
  if (depth > 20) {
    out.errors.push('shell substitutions nested too deeply')
    return
  }
  const subs: string[] = []
  const tokens = tokenize(script, out.errors, subs)
  // The simple commands of the pipeline being read; their place in it is known when it ends.
  let pipe: ShellCommand[] = []
  let from = 0
  const endCommand = (to: number): void => {
    const c = toCommand(tokens, from, to, subst)
    if (c) pipe.push(c)
    from = to + 1
  }
  const endPipeline = (): void => {
    if (pipe.length === 0) return
    for (let i = 0; i < pipe.length; i++) {
      const c = pipe[i]
      c.pipeline = state.pipeline
      c.pipelineIndex = i
      c.pipelineLength = pipe.length
      out.commands.push(c)
    }
    state.pipeline++
    pipe = []
  }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]
    if (t.kind !== 'op') continue
    endCommand(k)
    if (t.value === '|' || t.value === '|&') out.hasPipe = true
    else endPipeline()
  }
  endCommand(tokens.length)
  endPipeline()
  for (let k = 0; k < subs.length; k++) analyse(subs[k], out, state, true, depth + 1)
}

const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*\(\)$/
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/

/** An assignment word (`A=1`, `PATH+=:/x`) whose name and `=` are not quoted. */
function isAssignment(t: Token): boolean {
  const m = ASSIGNMENT.exec(t.value)
  return !!m && (t.quotedAt < 0 || t.quotedAt >= m[0].length)
}

/**
 * The simple command of the words `tokens[from..to)`, its pipeline fields still to be set; null when the words
 * are no command (empty, a compound's keyword or a function definition).
 */
function toCommand(tokens: Token[], from: number, to: number, subst: boolean): ShellCommand | null {
  let k = from
  // Drop reserved words that lead into a command (`then apt-get …`, `! grep …`).
  while (k < to && !tokens[k].quoted && RESERVED_PREFIX.has(tokens[k].value)) k++
  if (k === to) return null
  const first = tokens[k]
  if (!first.quoted && (first.value === 'for' || first.value === 'case' || first.value === 'select'))
    return null
  if (!first.quoted && FUNCTION_NAME.test(first.value)) return null
  const assignments: string[] = []
  while (k < to && isAssignment(tokens[k])) assignments.push(tokens[k++].value)
  if (k === to) return null
  if (!tokens[k].quoted && RESERVED_ALONE.has(tokens[k].value)) return null
  const name = tokens[k].value
  const args: string[] = []
  for (k++; k < to; k++) args.push(tokens[k].value)
  return {
    name,
    args,
    assignments,
    pipeline: 0,
    pipelineIndex: 0,
    pipelineLength: 0,
    substitution: subst
  }
}

const REDIRECT = /^(?:<<<|<<-|<<|>>|>&|<&|>\||<>|&>>|&>|>|<)/

/** ASCII characters that end a run of plain word characters: white space and `\'"`$#()<>&|;`. */
const SPECIAL = new Uint8Array(128)
for (const ch of ' \t\n\v\f\r\\\'"`$#()<>&|;') SPECIAL[ch.charCodeAt(0)] = 1

/** The end of the run of plain word characters (no white space, no shell special character) from `i`. */
function plainEnd(s: string, i: number, n: number): number {
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c < 128 ? SPECIAL[c] === 1 : isSpaceCode(c)) break
    i++
  }
  return i
}

/** The end of the run of characters from `i` that stand for themselves inside double quotes (not `"\$` or a backquote). */
function doublePlainEnd(s: string, i: number, n: number): number {
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c === 34 || c === 92 || c === 36 || c === 96) break
    i++
  }
  return i
}

/** The control operator at `i` (`&&`, `||`, `;;`, `|&`, `|`, `;`, `&` or a newline), or undefined. */
function operatorAt(s: string, i: number): string | undefined {
  const c = s[i]
  const next = s[i + 1]
  if (c === '&') return next === '&' ? '&&' : '&'
  if (c === '|') return next === '|' ? '||' : next === '&' ? '|&' : '|'
  if (c === ';') return next === ';' ? ';;' : ';'
  if (c === '\n') return '\n'
  return undefined
}

function tokenize(s: string, errors: string[], subs: string[]): Token[] {
  const tokens: Token[] = []
  let word = ''
  let inWord = false
  let quoted = false
  let quotedAt = -1
  let pendingHeredocs: { delim: string; strip: boolean }[] = []
  let skipNextWord = false
  const endWord = (): void => {
    if (inWord) {
      if (skipNextWord) skipNextWord = false
      else tokens.push({ kind: 'word', value: word, quoted, quotedAt })
    }
    word = ''
    inWord = false
    quoted = false
    quotedAt = -1
  }
  let i = 0
  const n = s.length
  while (i < n) {
    // Fast path: a run of ordinary word characters, then a run of blanks.
    const end = plainEnd(s, i, n)
    if (end > i) {
      word += s.slice(i, end)
      inWord = true
      i = end
      if (i >= n) break
    }
    const c = s[i]
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord()
      i++
      while (s[i] === ' ' || s[i] === '\t') i++
      continue
    }
    if (c === '\\') {
      if (s[i + 1] === '\n') {
        i += 2
        continue
      }
      if (i + 1 < n) {
        word += s[i + 1]
        inWord = true
        i += 2
      } else i++
      continue
    }
    if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) {
        errors.push('unterminated single quote')
        if (quotedAt < 0) quotedAt = word.length
        word += s.slice(i + 1)
        inWord = true
        quoted = true
        break
      }
      if (quotedAt < 0) quotedAt = word.length
      word += s.slice(i + 1, end)
      inWord = true
      quoted = true
      i = end + 1
      continue
    }
    if (c === '"') {
      if (quotedAt < 0) quotedAt = word.length
      i = readDouble(s, i + 1, (txt) => (word += txt), errors, subs)
      inWord = true
      quoted = true
      continue
    }
    if (c === '`') {
      const end = findBackquote(s, i + 1)
      if (end < 0) {
        errors.push('unterminated backquote')
        subs.push(s.slice(i + 1))
        break
      }
      subs.push(s.slice(i + 1, end))
      word += s.slice(i, end + 1)
      inWord = true
      i = end + 1
      continue
    }
    if (c === '$' && s[i + 1] === '(') {
      if (s[i + 2] === '(') {
        const end = findClosingParen(s, i + 3, 2)
        const stop = end < 0 ? n : end + 1
        word += s.slice(i, stop)
        inWord = true
        i = stop
        continue
      }
      const end = findClosingParen(s, i + 2, 1)
      if (end < 0) {
        errors.push('unterminated $( substitution')
        subs.push(s.slice(i + 2))
        break
      }
      subs.push(s.slice(i + 2, end))
      word += s.slice(i, end + 1)
      inWord = true
      i = end + 1
      continue
    }
    if (c === '$' && s[i + 1] === '{') {
      const end = findBrace(s, i + 2)
      const stop = end < 0 ? n : end + 1
      word += s.slice(i, stop)
      inWord = true
      i = stop
      continue
    }
    if (c === '#' && !inWord) {
      const nl = s.indexOf('\n', i)
      i = nl < 0 ? n : nl
      continue
    }
    if (c === '\n' && pendingHeredocs.length > 0) {
      endWord()
      tokens.push({ kind: 'op', value: '\n', quoted: false, quotedAt: -1 })
      i = skipHeredocBodies(s, i + 1, pendingHeredocs)
      pendingHeredocs = []
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord()
      i++
      continue
    }
    if (c === '(' || c === ')') {
      if (inWord && c === '(' && s[i + 1] === ')') {
        // function definition `name()`
        word += '()'
        i += 2
        continue
      }
      if (c === '(' && inWord && /[@?*+!]$/.test(word)) {
        // extended glob
        const end = findClosingParen(s, i + 1, 1)
        const stop = end < 0 ? n : end + 1
        word += s.slice(i, stop)
        i = stop
        continue
      }
      endWord()
      tokens.push({ kind: 'op', value: ';', quoted: false, quotedAt: -1 })
      i++
      continue
    }
    // Redirections: [n]> >> < << <<- <<< >& <& &> &>> >|
    const redir =
      c === '<' || c === '>' || (c === '&' && s[i + 1] === '>') ? REDIRECT.exec(s.slice(i, i + 4)) : null
    if (redir) {
      const op = redir[0]
      if (inWord && /^[0-9]+$/.test(word) && !quoted) {
        word = ''
        inWord = false
      }
      endWord()
      i += op.length
      if (op.endsWith('<<') || op.endsWith('<<-')) {
        while (s[i] === ' ' || s[i] === '\t') i++
        const m = /^(['"]?)([^\s'"<>;|&()]+)\1/.exec(s.slice(i))
        if (m) {
          pendingHeredocs.push({ delim: m[2], strip: op.endsWith('-') })
          i += m[0].length
        }
        continue
      }
      if (/[&]$/.test(op) && /^[0-9-]/.test(s[i] ?? '')) {
        // `2>&1`, `>&-`
        while (i < n && /[0-9-]/.test(s[i])) i++
        continue
      }
      skipNextWord = true
      continue
    }
    const op = operatorAt(s, i)
    if (op) {
      endWord()
      if (skipNextWord) skipNextWord = false
      tokens.push({ kind: 'op', value: op === '\n' ? ';' : op, quoted: false, quotedAt: -1 })
      i += op.length
      continue
    }
    word += c
    inWord = true
    i++
  }
  endWord()
  return tokens
}

function readDouble(
  s: string,
  i: number,
  emit: (t: string) => void,
  errors: string[],
  subs: string[]
): number {
  const n = s.length
  let buf = ''
  while (i < n) {
    const end = doublePlainEnd(s, i, n)
    if (end > i) {
      buf += s.slice(i, end)
      i = end
      if (i >= n) break
    }
    const c = s[i]
    if (c === '"') {
      emit(buf)
      return i + 1
    }
    if (c === '\\' && i + 1 < n) {
      const next = s[i + 1]
      if (next === '\n') {
        i += 2
        continue
      }
      buf += '$`"\\'.includes(next) ? next : c + next
      i += 2
      continue
    }
    if (c === '$' && s[i + 1] === '(' && s[i + 2] !== '(') {
      const end = findClosingParen(s, i + 2, 1)
      if (end < 0) break
      subs.push(s.slice(i + 2, end))
      buf += s.slice(i, end + 1)
      i = end + 1
      continue
    }
    if (c === '`') {
      const end = findBackquote(s, i + 1)
      if (end < 0) break
      subs.push(s.slice(i + 1, end))
      buf += s.slice(i, end + 1)
      i = end + 1
      continue
    }
    buf += c
    i++
  }
  errors.push('unterminated double quote')
  emit(buf)
  return n
}

function findBackquote(s: string, i: number): number {
  for (; i < s.length; i++) {
    if (s[i] === '\\') i++
    else if (s[i] === '`') return i
  }
  return -1
}

function findBrace(s: string, i: number): number {
  let depth = 1
  for (; i < s.length; i++) {
    const c = s[i]
    if (c === '\\') i++
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return i
  }
  return -1
}

/** Finds the `)` closing a `$(` (depth 1) or `$((` (depth 2), skipping quotes. */
function findClosingParen(s: string, i: number, depth: number): number {
  for (; i < s.length; i++) {
    const c = s[i]
    if (c === '\\') i++
    else if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) return -1
      i = end
    } else if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++
    } else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return i
  }
  return -1
}

function skipHeredocBodies(s: string, i: number, docs: { delim: string; strip: boolean }[]): number {
  for (const d of docs) {
    while (i < s.length) {
      const nl = s.indexOf('\n', i)
      const line = s.slice(i, nl < 0 ? s.length : nl)
      i = nl < 0 ? s.length : nl + 1
      if ((d.strip ? line.replace(/^\t+/, '') : line) === d.delim) break
    }
  }
  return i
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh'])

/**
 * The shell script a RUN instruction runs: the shell-form text; for a bare `RUN <<EOF` heredoc, the heredoc
 * bodies; for the exec form, `sh -c SCRIPT`'s script, or else the argv as one command.
 */
export function runScript(ins: Instruction): ShellScript {
  if (ins.json) {
    const [cmd, ...rest] = ins.json
    if (cmd && SHELLS.has(commandBase(cmd))) {
      const c = rest.indexOf('-c')
      if (c >= 0 && rest[c + 1] !== undefined) return parseShell(rest[c + 1])
    }
    if (!cmd) return { commands: [], hasPipe: false, errors: [] }
    return {
      commands: [
        {
          name: cmd,
          args: rest,
          assignments: [],
          pipeline: 0,
          pipelineIndex: 0,
          pipelineLength: 1,
          substitution: false
        }
      ],
      hasPipe: false,
      errors: []
    }
  }
  const text = ins.args
  const firstLine = text.split('\n')[0]
  if (
    ins.heredocs.length > 0 &&
    /^<<-?\s*(['"]?)[A-Za-z0-9_.-]+\1(\s+<<-?\s*(['"]?)[A-Za-z0-9_.-]+\3)*\s*$/.test(firstLine)
  ) {
    const out: ShellScript = { commands: [], hasPipe: false, errors: [] }
    for (const h of ins.heredocs) {
      const body = h.content.replace(/^#!.*\n/, '')
      const first = /^#!\s*\S*?([a-z]+)\b/.exec(h.content)
      if (first && !SHELLS.has(first[1]) && first[1] !== 'env') continue
      const sc = parseShell(body)
      out.commands.push(...sc.commands)
      out.errors.push(...sc.errors)
      out.hasPipe ||= sc.hasPipe
    }
    return out
  }
  return parseShell(text)
}
