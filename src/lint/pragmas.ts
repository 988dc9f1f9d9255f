/**
 * Inline suppressions: hadolint's `# hadolint ignore=DL3006,DL3008` (the next instruction) and
 * `# hadolint global ignore=…` (the whole file), and our own `# secure-image ignore=ID reason="…"` and
 * `# secure-image global ignore=ID reason="…"`.
 */
import type { DockerfileModel } from '../dockerfile/parse.js'

export interface Pragma {
  tool: 'hadolint' | 'secure-image'
  global: boolean
  ids: string[]
  reason?: string
  /** The comment's line. */
  line: number
  /** For a non-global pragma, the lines of the instruction it applies to. */
  target?: { startLine: number; endLine: number }
}

const PRAGMA =
  /^(hadolint|secure-image)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s]+?)(?:\s+reason\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+)))?\s*$/

/** The ignore pragmas of a Dockerfile, each tied to the instruction it applies to. */
export function readPragmas(model: DockerfileModel): Pragma[] {
  const out: Pragma[] = []
  // Every pragma names its tool; most Dockerfiles have none, and need not be read line by line.
  if (!model.text.includes('hadolint') && !model.text.includes('secure-image')) return out
  // Read the comment lines from the text: a pragma on the first lines can look like a parser directive
  // (`# name=value`) to the parser, which then does not list it as a comment.
  const inside = (line: number): boolean =>
    model.instructions.some((i) => line > i.startLine && line <= i.endLine)
  const lines = model.text.split(/\r?\n/)
  for (let n = 0; n < lines.length; n++) {
    const t = lines[n].trim()
    if (!t.startsWith('#') || !/(hadolint|secure-image)/.test(t)) continue
    const c = { line: n + 1, text: t.slice(1).trim() }
    if (inside(c.line)) continue
    const m = PRAGMA.exec(c.text)
    if (!m) continue
    const ids = m[3]
      .split(/[,\s]+/)
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean)
    if (ids.length === 0) continue
    const p: Pragma = { tool: m[1] as Pragma['tool'], global: !!m[2], ids, line: c.line }
    const reason = m[4] ?? m[5] ?? m[6]
    if (reason !== undefined) p.reason = reason
    if (!p.global) {
      const next = model.instructions.find((i) => i.startLine > c.line)
      if (!next) continue
      p.target = { startLine: next.startLine, endLine: next.endLine }
    }
    out.push(p)
  }
  return out
}

/** The pragma that suppresses rule `id` at `line`, if any. */
export function matchPragma(
  pragmas: Pragma[],
  id: string,
  line: number,
  honourHadolint = true
): Pragma | undefined {
  return pragmas.find(
    (p) =>
      (honourHadolint || p.tool === 'secure-image') &&
      p.ids.includes(id.toUpperCase()) &&
      (p.global || (p.target !== undefined && line >= p.target.startLine && line <= p.target.endLine))
  )
}
