/**
 * Two caches over dockerfile-ast that leave its results unchanged (the document never changes after parsing):
 * - The parser builds each instruction twice: once to look for here-documents after the arguments, then again,
 *   from the same text range, to keep. The second build now reuses the first object when the range is the same
 *   (without here-documents it always is); building one means reading its arguments and, for the JSON-capable
 *   instructions (RUN, CMD, COPY, …), scanning them again.
 * - `getRawArguments()` re-reads an instruction's arguments from the text on every call, and the parser, the
 *   flag reader, `getArgumentsContent()` and the JSON reader each call it: a long RUN was scanned about eight
 *   times. It is read once, by `rawArguments` (ast-args.ts: the library's reading, taking runs of plain
 *   characters at once), kept on the instruction, and a fresh copy handed out (callers such as
 *   `ModifiableInstruction.getArguments` shift it).
 * Both are kept on the objects themselves, not in WeakMaps: V8's young-generation collector keeps a WeakMap's
 * values alive, so every parsed file's arguments were promoted to the old generation and scavenges got slow.
 * Importing this module installs the caches once.
 */
import { Instruction } from 'dockerfile-ast'
import { Parser } from 'dockerfile-ast/lib/parser.js'
import { rawArguments, type RawInstruction } from './ast-args.js'

interface CachedArgs {
  __siRawArgs?: unknown[]
}
const proto = Instruction.prototype as unknown as {
  getRawArguments: () => unknown[]
  __siCached?: boolean
}

/** The parser's last built instruction and the arguments it was built from. */
interface LastBuilt {
  dockerfile: unknown
  instruction: string
  start: number
  instructionEnd: number
  end: number
  node: Instruction
}
type Build = (
  dockerfile: unknown,
  instruction: string,
  start: number,
  instructionEnd: number,
  end: number
) => Instruction
const parserProto = Parser.prototype as unknown as { createInstruction: Build }

if (!proto.__siCached) {
  proto.getRawArguments = function (this: CachedArgs & RawInstruction): unknown[] {
    const args = (this.__siRawArgs ??= rawArguments(this))
    return args.slice()
  }
  const build = parserProto.createInstruction
  parserProto.createInstruction = function (
    this: { __siLast?: LastBuilt },
    dockerfile,
    instruction,
    start,
    instructionEnd,
    end
  ): Instruction {
    const last = this.__siLast
    if (
      last &&
      last.start === start &&
      last.end === end &&
      last.instructionEnd === instructionEnd &&
      last.dockerfile === dockerfile &&
      last.instruction === instruction
    ) {
      return last.node
    }
    const node = build.call(this, dockerfile, instruction, start, instructionEnd, end)
    this.__siLast = { dockerfile, instruction, start, instructionEnd, end, node }
    return node
  }
  proto.__siCached = true
}
