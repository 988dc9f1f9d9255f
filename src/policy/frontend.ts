/**
 * The Dockerfile frontend is an image too. BuildKit pulls the image named by the `# syntax=` parser directive
 * (or by the `BUILDKIT_SYNTAX` build argument, which overrides it) and runs it to turn the Dockerfile into a
 * build, so a frontend can produce any image at all. It is checked like every other image source.
 *
 * Parser directives are read as BuildKit reads them (frontend/dockerfile/parser/directives.go): from the first
 * line, each line of the form `# key=value` (key case-insensitive) is a directive; the first line that is not one
 * (an instruction, a blank line, any other comment) ends them. A byte-order mark at the start is skipped.
 */
import type { DockerfileModel } from '../dockerfile/parse.js'
import type { ImageSource } from './sources.js'

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/

/** The `# syntax=` directive: its value and line, when the Dockerfile has one. */
export function syntaxDirective(text: string): { value: string; line: number } | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i])
    if (!m) return undefined
    if (m[1].toLowerCase() === 'syntax') return { value: m[2], line: i + 1 }
  }
  return undefined
}

/** The frontend images a BuildKit build of this Dockerfile would pull (none when the built-in one is used). */
export function frontendSources(
  model: DockerfileModel,
  buildArgs: ReadonlyMap<string, string> = new Map()
): ImageSource[] {
  const out: ImageSource[] = []
  const directive = syntaxDirective(model.text)
  if (directive) {
    out.push({
      kind: 'frontend',
      onbuild: false,
      raw: directive.value,
      expanded: directive.value,
      unresolved: [],
      line: directive.line,
      stage: -1
    })
  }
  const arg = buildArgs.get('BUILDKIT_SYNTAX')
  if (arg !== undefined && arg.trim() !== '') {
    out.push({
      kind: 'frontend-arg',
      onbuild: false,
      raw: arg.trim(),
      expanded: arg.trim(),
      unresolved: [],
      line: directive?.line ?? 1,
      stage: -1
    })
  }
  return out
}
