/**
 * dockerfile-ast's reading of an instruction's arguments (`Instruction.getRawArguments()` of dockerfile-ast
 * 0.7), written again with the same rules and the same results: words split at white space, escaped newlines
 * (and the white space and comment lines after them) skipped, `\x` read as `x` but `\$` kept. The library walks
 * the text a character at a time, builds each word by adding one character to a string, and validates every
 * range it creates. Reading arguments is the largest part of parsing a Dockerfile, so this version follows the
 * same steps but takes each run of plain characters (no white space, no escape character) with one sticky
 * pattern and slices it from the text, and builds the ranges as plain `{ start, end }` objects (what the
 * library's `Range.create` returns for two positions). It is hand-written because it must agree with the
 * library exactly: `__tests__/dockerfile/ast-raw-args.test.ts` compares it with the library's own method over
 * hand-picked cases, generated Dockerfiles and the corpus, so an upgrade that changes the reading fails there.
 */
import { Argument } from 'dockerfile-ast'
import type { TextDocument } from 'vscode-languageserver-textdocument'

/** What the reading needs of a dockerfile-ast instruction (its public shape hides these members). */
export interface RawInstruction {
  document: TextDocument
  escapeChar: string
  getInstructionRange(): {
    start: { line: number; character: number }
    end: { line: number; character: number }
  }
  getTextContent(): string
}

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'

const PLAIN_RUNS = new Map<string, RegExp>()

/** A sticky pattern for a run of characters that are neither white space nor the escape character. */
function plainRun(escapeChar: string): RegExp {
  let re = PLAIN_RUNS.get(escapeChar)
  if (!re) {
    re = new RegExp(`[^ \\t\\r\\n${escapeChar.replace(/[\\\]^-]/g, '\\$&')}]*`, 'y')
    PLAIN_RUNS.set(escapeChar, re)
  }
  return re
}

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
