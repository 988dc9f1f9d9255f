/**
 * Two of dockerfile-ast's readings of an instruction (dockerfile-ast 0.7), written again with the same rules and
 * the same results, because they are the largest part of parsing a Dockerfile:
 * - `rawArguments`: `Instruction.getRawArguments()`, the words: split at white space, escaped newlines (and the
 *   white space and comment lines after them) skipped, `\x` read as `x` but `\$` kept;
 * - `argumentsContent`: `Instruction.getArgumentsContent()`, the arguments' text with escaped newlines and the
 *   comment lines between continuation lines left out.
 * The library walks the text a character at a time, builds each word by adding one character to a string, and
 * validates every range it creates. These follow the same steps but take each run of characters that changes
 * nothing but the word or range being read with one sticky pattern, and build ranges as the plain
 * `{ start, end }` objects the library's `Range.create` returns for two positions. They are hand-written
 * because they must agree with the library exactly: `__tests__/dockerfile/ast-args.test.ts` compares them with
 * the library's own methods over hand-picked cases, generated Dockerfiles and the corpus, so an upgrade that
 * changes a reading fails there.
 */
import { Argument } from 'dockerfile-ast'
import type { TextDocument } from 'vscode-languageserver-textdocument'

interface Position {
  line: number
  character: number
}

/** What the readings need of a dockerfile-ast instruction (its public shape hides some of these members). */
export interface RawInstruction {
  document: TextDocument
  escapeChar: string
  getInstructionRange(): { start: Position; end: Position }
  getTextContent(): string
  getArguments(): Argument[]
}

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'

const PLAIN_RUNS = new Map<string, RegExp>()
const LINE_RUNS = new Map<string, RegExp>()

/** A sticky pattern for a run of characters other than `stops` and the escape character. */
function run(cache: Map<string, RegExp>, stops: string, escapeChar: string): RegExp {
  let re = cache.get(escapeChar)
  if (!re) {
    re = new RegExp(`[^${stops}${escapeChar.replace(/[\\\]^-]/g, '\\$&')}]*`, 'y')
    cache.set(escapeChar, re)
  }
  return re
}

/** Characters that are neither white space nor the escape character. */
const plainRun = (escapeChar: string): RegExp => run(PLAIN_RUNS, ' \\t\\r\\n', escapeChar)
/** Characters that are neither a newline nor the escape character. */
const lineRun = (escapeChar: string): RegExp => run(LINE_RUNS, '\\r\\n', escapeChar)

/** The arguments of `ins` as dockerfile-ast's `getRawArguments()` returns them. */
export function rawArguments(ins: RawInstruction): Argument[] {
  const doc = ins.document
  const escapeChar = ins.escapeChar
  const args: Argument[] = []
  const range = ins.getInstructionRange()
  const extra = doc.offsetAt(range.end) - doc.offsetAt(range.start)
  const fullArgs = ins.getTextContent().substring(extra)
  const offset = doc.offsetAt(range.start) + extra
  const n = fullArgs.length
  const plain = plainRun(escapeChar)
  let start = false
  let comment = false
  let found = -1
  // whether a space or tab was found that is part of an escaped newline sequence
  let escapedWhitespaceDetected = false
  // whether the reader is in an escaped newline sequence
  let escaping = false
  let escapeMarker = -1
  // The word read so far: `text`, then the characters `runStart..runEnd` of `fullArgs` not yet added to it.
  let text = ''
  let runStart = -1
  let runEnd = -1
  const append = (at: number, length: number): void => {
    if (runStart >= 0 && runEnd === at) {
      runEnd = at + length
      return
    }
    if (runStart >= 0) text += fullArgs.slice(runStart, runEnd)
    runStart = at
    runEnd = at + length
  }
  const push = (end: number): void => {
    const value = runStart >= 0 ? text + fullArgs.slice(runStart, runEnd) : text
    const r = { start: doc.positionAt(offset + found), end: doc.positionAt(offset + end) }
    args.push(new Argument(value, r as ConstructorParameters<typeof Argument>[1]))
    text = ''
    runStart = -1
    found = -1
  }
  for (let i = 0; i < n; i++) {
    const char = fullArgs[i]
    if (isWhitespace(char)) {
      if (escaping) {
        escapedWhitespaceDetected = true
        if (char === '\r' || char === '\n') {
          // reached a newline, any previously detected whitespace should be ignored
          escapedWhitespaceDetected = false
          if (comment) {
            // reached a newline, no longer in a comment
            comment = false
            start = true
          }
        }
        continue
      } else if (found !== -1) {
        push(escapeMarker === -1 ? i : escapeMarker)
        escapeMarker = -1
      }
    } else if (char === escapeChar) {
      const next = i + 1 < n ? fullArgs[i + 1] : ''
      if (next === ' ' || next === '\t') {
        whitespaceCheck: for (let j = i + 2; j < n; j++) {
          switch (fullArgs[j]) {
            case ' ':
            case '\t':
              continue
            case '\r':
            case '\n':
              if (fullArgs[j] === '\r') j++
              comment = false
              escaping = true
              start = true
              if (found !== -1) escapeMarker = i
              i = j
              break whitespaceCheck
            default:
              escapeMarker = i
              if (found === -1) i = j - 1
              break whitespaceCheck
          }
        }
      } else if (next === '\r') {
        comment = false
        escaping = true
        start = true
        if (found !== -1 && escapeMarker === -1) escapeMarker = i
        i += 2
      } else if (next === '\n') {
        comment = false
        escaping = true
        start = true
        if (found !== -1 && escapeMarker === -1) escapeMarker = i
        i++
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) push(escapeMarker)
        escapeMarker = -1
        escapedWhitespaceDetected = false
        escaping = false
        if (next === '$') append(i, 2)
        else if (next === '') break
        else append(i + 1, 1)
        if (found === -1) found = i
        i++
      }
    } else if (!comment) {
      if (start && char === '#') {
        comment = true
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) push(escapeMarker)
        escapedWhitespaceDetected = false
        escaping = false
        escapeMarker = -1
        if (runStart >= 0 && runEnd === i) runEnd = i + 1
        else append(i, 1)
        if (found === -1) found = i
        // The characters up to the next white space or escape character change nothing but the word: take
        // them at once.
        plain.lastIndex = i + 1
        plain.test(fullArgs)
        if (plain.lastIndex > i + 1) {
          runEnd = plain.lastIndex
          i = plain.lastIndex - 1
        }
      }
      // non-whitespace character detected, reset
      start = false
    }
  }
  if (found !== -1) push(escapeMarker === -1 ? n : escapeMarker)
  return args
}

/** The arguments' text of `ins` as dockerfile-ast's `getArgumentsContent()` returns it. */
export function argumentsContent(ins: RawInstruction): string | null {
  const args = ins.getArguments()
  if (args.length === 0) return null
  const doc = ins.document
  const text = doc.getText()
  let content = ''
  for (const r of argumentsRanges(ins, args))
    content += text.substring(doc.offsetAt(r.start), doc.offsetAt(r.end))
  return content
}

/** dockerfile-ast's `getArgumentsRanges()`: the ranges of the arguments' text, one per line it spans. */
function argumentsRanges(ins: RawInstruction, args: Argument[]): { start: Position; end: Position }[] {
  const first = args[0].getRange().start
  const last = args[args.length - 1].getRange().end
  if (first.line === last.line) return [{ start: first, end: last }]
  const doc = ins.document
  const escapeChar = ins.escapeChar
  const ranges: { start: Position; end: Position }[] = []
  let end = -1
  let startPosition: Position | null = first
  const range = ins.getInstructionRange()
  const extra = doc.offsetAt(first) - doc.offsetAt(range.start)
  const fullArgs = ins.getTextContent().substring(extra, doc.offsetAt(last) - doc.offsetAt(range.start))
  const offset = doc.offsetAt(range.start) + extra
  const n = fullArgs.length
  const plain = lineRun(escapeChar)
  let comment = false
  const close = (): void => {
    if (startPosition !== null) ranges.push({ start: startPosition, end: doc.positionAt(offset + end + 1) })
  }
  for (let i = 0; i < n; i++) {
    const char = fullArgs[i]
    if (char === escapeChar) {
      const next = i + 1 < n ? fullArgs[i + 1] : ''
      if (next === ' ' || next === '\t') {
        whitespaceCheck: for (let j = i + 2; j < n; j++) {
          switch (fullArgs[j]) {
            case ' ':
            case '\t':
              continue
            case '\r':
            case '\n':
              if (fullArgs[j] === '\r') j++
              close()
              startPosition = null
              comment = false
              i = j
              break whitespaceCheck
            default:
              break whitespaceCheck
          }
        }
      } else if (next === '\r') {
        close()
        startPosition = null
        comment = false
        i += 2
      } else if (next === '\n') {
        close()
        startPosition = null
        comment = false
        i++
      } else {
        i++
      }
    } else if (char === '\r' || char === '\n') {
      if (comment) {
        startPosition = null
        comment = false
      }
    } else if (!comment) {
      if (startPosition === null) {
        if (char === '#') {
          comment = true
          continue
        }
        const position = doc.positionAt(offset + i)
        if (position.character !== 0) startPosition = { line: position.line, character: 0 }
      }
      end = i
      // Up to the next newline or escape character, each character only moves the end: take them at once.
      if (startPosition !== null) {
        plain.lastIndex = i + 1
        plain.test(fullArgs)
        if (plain.lastIndex > i + 1) {
          end = plain.lastIndex - 1
          i = end
        }
      }
    }
  }
  if (startPosition === null) {
    ranges.push({ start: doc.positionAt(offset + end), end: doc.positionAt(offset + end + 1) })
  } else {
    ranges.push({ start: startPosition, end: doc.positionAt(offset + end + 1) })
  }
  return ranges
}
