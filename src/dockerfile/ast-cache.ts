/**
 * dockerfile-ast re-reads an instruction's arguments from the text on every call of `getRawArguments()`, and
 * the parser itself, the flag reader, `getArgumentsContent()` and the JSON reader each call it again: a long
 * RUN is scanned about eight times. The document never changes after parsing, so the result is kept per
 * instruction and a fresh copy handed out (callers such as `ModifiableInstruction.getArguments` shift it).
 * Importing this module installs the cache once; the returned values are the same as without it.
 */
import { Instruction } from 'dockerfile-ast'

type RawArgs = () => unknown[]
const proto = Instruction.prototype as unknown as { getRawArguments: RawArgs; __siCached?: boolean }

if (!proto.__siCached) {
  const original = proto.getRawArguments
  const cache = new WeakMap<object, unknown[]>()
  proto.getRawArguments = function (this: object): unknown[] {
    let args = cache.get(this)
    if (!args) {
      args = original.call(this)
      cache.set(this, args)
    }
    return args.slice()
  }
  proto.__siCached = true
}
