/**
 * The Dockerfile model that lint and policy share, built on dockerfile-ast (the parser of the VS Code Docker
 * language server). Line numbers are 1-based. Parsing never throws: what the parser cannot make sense of is
 * reported in `errors` with a line number.
 */
import {
  DockerfileParser,
  From,
  Heredoc,
  JSONInstruction,
  ModifiableInstruction,
  Onbuild
} from 'dockerfile-ast'
import type { Instruction as AstInstruction } from 'dockerfile-ast'
import { expand, type Expansion } from './expand.js'
import { isSpaceCode } from './space.js'
import './ast-cache.js'
import { argumentsContent, type RawInstruction } from './ast-args.js'

export const KNOWN_INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR'
])

export interface Flag {
  name: string
  /** null for a flag without `=value` (e.g. `--link`). */
  value: string | null
}

export interface HeredocBody {
  name: string
  content: string
}

export interface Instruction {
  /** Upper-case keyword, e.g. `RUN`. */
  keyword: string
  /** The instruction's text after the keyword and its flags, continuation lines joined, comments removed. */
  args: string
  /** The arguments as words (quotes kept as written), flags excluded. */
  argv: string[]
  /** The exec-form array, when the instruction is written in JSON form. */
  json?: string[]
  flags: Flag[]
  heredocs: HeredocBody[]
  /** The text as it stands in the file, from the keyword to the end of the last continuation line. */
  raw: string
  startLine: number
  endLine: number
  /** Index of the stage this instruction belongs to; -1 before the first FROM. */
  stage: number
  /** For `ONBUILD X …`: the trigger, parsed as an instruction of its own on the same lines. */
  trigger?: Instruction
}

export interface Stage {
  index: number
  /** The `AS name` alias, lower-cased as BuildKit compares them. */
  name?: string
  /** The image as written after FROM (unexpanded). */
  image: string
  platform?: string
  from: Instruction
  instructions: Instruction[]
}

export interface Comment {
  line: number
  /** The comment text without the leading `#`, trimmed. */
  text: string
}

export interface ArgDecl {
  name: string
  /** The default value, unexpanded; undefined when the ARG has none. */
  value?: string
  line: number
}

export interface DockerfileModel {
  path: string
  text: string
  escape: string
  instructions: Instruction[]
  stages: Stage[]
  /** ARGs declared before the first FROM. */
  globalArgs: ArgDecl[]
  comments: Comment[]
  errors: { line: number; message: string }[]
}

/** Parses Dockerfile text. `path` is kept as given, for locations. Never throws. */
export function parseDockerfile(text: string, path = 'Dockerfile'): DockerfileModel {
  const model: DockerfileModel = {
    path,
    text,
    escape: '\\',
    instructions: [],
    stages: [],
    globalArgs: [],
    comments: [],
    errors: []
  }
  let ast
  try {
    ast = DockerfileParser.parse(text)
  } catch (err) {
    model.errors.push({ line: 1, message: `the Dockerfile could not be parsed: ${(err as Error).message}` })
    return model
  }
  model.escape = ast.getEscapeCharacter() || '\\'
  for (const c of ast.getComments()) {
    model.comments.push({ line: c.getRange().start.line + 1, text: (c.getContent() ?? '').trim() })
  }
  let stage = -1
  for (const node of ast.getInstructions()) {
    let ins: Instruction
    try {
      ins = convert(node, text, stage, model.escape)
    } catch (err) {
      model.errors.push({
        line: node.getRange().start.line + 1,
        message: `could not read this instruction: ${(err as Error).message}`
      })
      continue
    }
    if (ins.keyword === 'FROM') {
      stage++
      ins.stage = stage
      const from = node as From
      const asIndex = ins.argv.findIndex((w) => w.toLowerCase() === 'as')
      const name = asIndex >= 0 ? ins.argv[asIndex + 1] : undefined
      const platform = ins.flags.find((f) => f.name === 'platform')?.value ?? undefined
      const image = ins.argv[0] ?? from.getImage() ?? ''
      if (!image) model.errors.push({ line: ins.startLine, message: 'FROM requires an image' })
      const st: Stage = { index: stage, image, from: ins, instructions: [] }
      if (name) st.name = name.toLowerCase()
      if (platform) st.platform = platform
      model.stages.push(st)
    } else if (stage < 0 && ins.keyword === 'ARG') {
      model.globalArgs.push(...argDecls(ins))
    } else if (stage < 0) {
      model.errors.push({ line: ins.startLine, message: `${ins.keyword} comes before the first FROM` })
    }
    if (!KNOWN_INSTRUCTIONS.has(ins.keyword)) {
      model.errors.push({ line: ins.startLine, message: `unknown instruction: ${ins.keyword}` })
    }
    model.instructions.push(ins)
    if (stage >= 0) model.stages[stage].instructions.push(ins)
  }
  if (model.stages.length === 0 && model.errors.length === 0) {
    model.errors.push({ line: 1, message: 'the Dockerfile has no FROM instruction' })
  }
  return model
}

function convert(node: AstInstruction, text: string, stage: number, escape = '\\'): Instruction {
  const range = node.getRange()
  const startLine = range.start.line + 1
  let endLine = range.end.line + 1
  const keyword = node.getKeyword().toUpperCase()
  const flags: Flag[] =
    node instanceof ModifiableInstruction
      ? node.getFlags().map((f) => ({ name: f.getName(), value: f.getValue() }))
      : []
  const heredocs: HeredocBody[] = []
  const getHeredocs = (node as unknown as { getHeredocs?: () => Heredoc[] }).getHeredocs
  if (typeof getHeredocs === 'function') {
    for (const h of getHeredocs.call(node)) {
      const cr = h.getContentRange()
      heredocs.push({ name: h.getName(), content: cr ? sliceRange(text, cr) : '' })
      const end = h.getDelimiterRange() ?? cr
      if (end) endLine = Math.max(endLine, end.end.line + 1)
    }
  }
  let args = argumentsContent(node as unknown as RawInstruction) ?? ''
  if (flags.length > 0 && node instanceof ModifiableInstruction) {
    // Drop the flags from the front of the arguments text.
    const first = node.getArguments()[0]
    const full = args
    if (first) {
      const idx = full.indexOf(first.getValue())
      if (idx >= 0) args = full.slice(idx)
    } else {
      args = ''
    }
  }
  const raw = sliceLines(text, startLine, endLine)
  if (endLine > startLine && heredocs.length === 0) args = withoutCommentLines(args, raw, escape)
  const ins: Instruction = {
    keyword,
    args: args.trim(),
    argv: splitWords(args.trim()),
    flags,
    heredocs,
    raw,
    startLine,
    endLine,
    stage
  }
  if (node instanceof JSONInstruction) {
    const strings = node.getJSONStrings()
    const trimmed = ins.args.trim()
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      try {
        const parsed: unknown = JSON.parse(trimmed)
        if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) ins.json = parsed as string[]
      } catch {
        if (strings.length > 0) ins.json = strings.map((s) => s.getJSONValue())
      }
    }
  }
  if (node instanceof Onbuild) {
    const trig = node.getTriggerInstruction()
    if (trig) {
      const t = convert(trig, text, stage, escape)
      t.startLine = startLine
      t.endLine = endLine
      t.raw = ins.raw
      ins.trigger = t
    }
  }
  return ins
}

/**
 * The arguments without the whole-line comments that sat between continuation lines. The builder drops such a
 * line whole, indented or not, and a backslash at its end continues nothing; the parser keeps indented ones in
 * the arguments text, so they are taken out here.
 */
function withoutCommentLines(args: string, raw: string, escape: string): string {
  if (!raw.includes('#')) return args
  let out = args
  let from = 0
  for (const line of raw.split(/\r?\n/).slice(1)) {
    let c = line.trim()
    if (!c.startsWith('#')) continue
    if (c.endsWith(escape)) c = c.slice(0, -escape.length).trimEnd()
    let at = out.indexOf(c, from)
    while (at >= 0) {
      const before = at === 0 ? ' ' : out[at - 1]
      const after = out[at + c.length] ?? ' '
      if (/\s/.test(before) && /\s/.test(after)) break
      at = out.indexOf(c, at + 1)
    }
    if (at < 0) continue
    const end = out[at + c.length] === '\n' ? at + c.length + 1 : at + c.length
    out = out.slice(0, at) + out.slice(end)
    from = at
  }
  return out
}

let linesOf: { text: string; lines: string[] } | undefined

/** The text's lines, split once per text (every instruction of a file slices the same text). */
function textLines(text: string): string[] {
  if (linesOf?.text !== text) linesOf = { text, lines: text.split(/\r?\n/) }
  return linesOf.lines
}

function sliceLines(text: string, startLine: number, endLine: number): string {
  return textLines(text)
    .slice(startLine - 1, endLine)
    .join('\n')
}

function sliceRange(
  text: string,
  r: { start: { line: number; character: number }; end: { line: number; character: number } }
): string {
  const lines = textLines(text)
  const out: string[] = []
  for (let l = r.start.line; l <= r.end.line && l < lines.length; l++) {
    const from = l === r.start.line ? r.start.character : 0
    const to = l === r.end.line ? r.end.character : lines[l].length
    out.push(lines[l].slice(from, to))
  }
  return out.join('\n')
}

/** The declarations of one ARG instruction (`ARG A=1 B`). */
export function argDecls(ins: Instruction): ArgDecl[] {
  return ins.argv.map((w) => {
    const eq = w.indexOf('=')
    if (eq < 0) return { name: w, line: ins.startLine }
    return { name: w.slice(0, eq), value: unquote(w.slice(eq + 1)), line: ins.startLine }
  })
}

/** Removes one level of matching quotes, as the Dockerfile word parser does. */
export function unquote(s: string): string {
  if (s.length >= 2 && ((s[0] === '"' && s.endsWith('"')) || (s[0] === "'" && s.endsWith("'")))) {
    return s.slice(1, -1)
  }
  return s
}

/**
 * The values of the global ARGs (before the first FROM), with `buildArgs` overriding defaults, as BuildKit
 * resolves them for FROM lines. Only declared ARGs take build-arg values.
 */
export function globalArgValues(
  model: DockerfileModel,
  buildArgs: ReadonlyMap<string, string> = new Map()
): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>()
  for (const a of model.globalArgs) {
    if (buildArgs.has(a.name)) vars.set(a.name, buildArgs.get(a.name))
    else if (a.value !== undefined) vars.set(a.name, expand(a.value, vars, model.escape).value)
    else vars.set(a.name, undefined)
  }
  return vars
}

/** Expands a FROM image reference with the global ARGs, as BuildKit does. */
export function expandFromImage(
  model: DockerfileModel,
  stage: Stage,
  buildArgs?: ReadonlyMap<string, string>
): Expansion {
  return expand(stage.image, globalArgValues(model, buildArgs), model.escape)
}

/**
 * The variables in scope at an instruction inside a stage: the global ARGs redeclared in the stage, the
 * stage's own ARGs (build-args override their defaults) and ENVs, in order, up to (not including) `before`.
 */
export function stageVars(
  model: DockerfileModel,
  stage: Stage,
  before: Instruction | undefined,
  buildArgs: ReadonlyMap<string, string> = new Map()
): Map<string, string | undefined> {
  const globals = globalArgValues(model, buildArgs)
  const vars = new Map<string, string | undefined>()
  for (const ins of stage.instructions) {
    if (ins === before) break
    if (ins.keyword === 'ARG') {
      for (const d of argDecls(ins)) {
        if (buildArgs.has(d.name)) vars.set(d.name, buildArgs.get(d.name))
        else if (d.value !== undefined) vars.set(d.name, expand(d.value, vars, model.escape).value)
        else if (globals.has(d.name)) vars.set(d.name, globals.get(d.name))
        else vars.set(d.name, undefined)
      }
    } else if (ins.keyword === 'ENV') {
      for (const [k, v] of envPairs(ins)) vars.set(k, expand(v, vars, model.escape).value)
    }
  }
  return vars
}

/** The key/value pairs of an ENV or LABEL instruction, in both the `K=V …` and the legacy `K V` forms. */
export function envPairs(ins: Instruction): [string, string][] {
  const words = ins.argv
  if (words.length === 0) return []
  if (!words[0].includes('=')) return [[words[0], unquote(words.slice(1).join(' '))]]
  return words.map((w) => {
    const eq = w.indexOf('=')
    return eq < 0 ? [w, ''] : [w.slice(0, eq), unquote(w.slice(eq + 1))]
  })
}

/** Parses `--mount=type=bind,from=x,source=/a` into its key/value options. */
export function mountOptions(value: string): Map<string, string> {
  const opts = new Map<string, string>()
  for (const part of value.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 0) opts.set(part.trim().toLowerCase(), 'true')
    else opts.set(part.slice(0, eq).trim().toLowerCase(), unquote(part.slice(eq + 1).trim()))
  }
  return opts
}

/** Splits instruction text into words at unquoted white space, keeping the quotes as written. */
export function splitWords(text: string, escape = '\\'): string[] {
  // A word is the text as written from its first character to the white space that ends it (quotes and escapes
  // included), so it is sliced from the text rather than built character by character.
  const words: string[] = []
  let start = -1
  let quote: string | null = null
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text[i]
    if (c === escape && i + 1 < n && quote !== "'") {
      if (start < 0) start = i
      i++
      continue
    }
    if (quote) {
      if (c === quote) quote = null
      continue
    }
    if (c === '"' || c === "'") {
      quote = c
      if (start < 0) start = i
      continue
    }
    if (isSpaceCode(text.charCodeAt(i))) {
      if (start >= 0) words.push(text.slice(start, i))
      start = -1
      continue
    }
    if (start < 0) start = i
  }
  if (start >= 0) words.push(text.slice(start))
  return words
}
