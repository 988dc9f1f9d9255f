/**
 * The caches of src/dockerfile/ast-cache.ts (each instruction built once, its arguments read once) must change
 * no result of dockerfile-ast: everything src/dockerfile/parse.ts reads is recorded over hand-picked cases,
 * generated Dockerfiles and the corpus before the module is loaded, and compared after. This file must not
 * import parse.ts statically: that would load the caches before the first recording.
 */
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DockerfileParser, ModifiableInstruction, Onbuild, type Instruction } from 'dockerfile-ast'
import { CORPUS_DIR, corpusPresent } from '../helpers/corpus.js'

interface Heredocs {
  getHeredocs(): { getName(): string; getContentRange(): unknown; getDelimiterRange(): unknown }[]
}

/** Everything parse.ts reads of one instruction (and its ONBUILD trigger). */
function record(ins: Instruction): unknown {
  let heredocs: unknown
  try {
    heredocs = (ins as unknown as Heredocs)
      .getHeredocs()
      .map((h) => [h.getName(), h.getContentRange(), h.getDelimiterRange()])
  } catch (err) {
    // The library fails on some malformed instructions; parse.ts reports them, so the failure is a result too.
    heredocs = `throws: ${(err as Error).message}`
  }
  return {
    keyword: ins.getKeyword(),
    range: ins.getRange(),
    args: ins.getArguments().map((a) => [a.getValue(), a.getRange()]),
    content: ins.getArgumentsContent(),
    flags: ins instanceof ModifiableInstruction ? ins.getFlags().map((f) => [f.getName(), f.getValue()]) : [],
    heredocs,
    trigger:
      ins instanceof Onbuild && ins.getTriggerInstruction() ? record(ins.getTriggerInstruction()!) : null
  }
}

function recordFile(text: string): unknown {
  const ast = DockerfileParser.parse(text)
  return {
    escape: ast.getEscapeCharacter(),
    comments: ast.getComments().map((c) => [c.getRange(), c.getContent()]),
    instructions: ast.getInstructions().map(record)
  }
}

/** A small deterministic generator (the same Dockerfiles on every run). */
function generator(seed: number): () => number {
  let x = seed
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648
}

// prettier-ignore
const PIECES = [
  'RUN', 'FROM', 'ENV', 'COPY', 'ONBUILD RUN', 'ONBUILD COPY', 'LABEL', 'ARG', 'CMD', ' ', ' ', '\t', '\n',
  '\r\n', '\\', '\\\n', '\\ \n', '\\\t\r\n', '\\ x', '`', '`\n', '#', '# c\n', '$', '\\$', 'a', 'b=c', '"q r"',
  "'s'", '<<EOF', '<<-EOF', 'EOF', '<<', '<', '--mount=type=cache', '--from=x', '\\\\', 'x\\', '[', '"x"', ']'
]

function texts(): string[] {
  const rnd = generator(11)
  const out = [
    'FROM a\nRUN <<EOF\necho hi\nEOF\n',
    'FROM a\nRUN <<EOF cat\n  x\nEOF\nRUN b\n',
    'FROM a\nCOPY <<one <<two /dst\n1\none\n2\ntwo\n',
    'FROM a\nONBUILD RUN <<EOF\necho\nEOF\n',
    'FROM a\nRUN a \\\n  # c\n  b <\\\n<EOF\n',
    '# escape=`\nFROM a\nRUN a `\n  b\n'
  ]
  for (let k = 0; k < 1500; k++) {
    let t = ''
    const len = 2 + Math.floor(rnd() * 24)
    for (let i = 0; i < len; i++) t += PIECES[Math.floor(rnd() * PIECES.length)]
    out.push(t)
  }
  if (corpusPresent)
    for (const f of readdirSync(CORPUS_DIR)) out.push(readFileSync(join(CORPUS_DIR, f), 'utf8'))
  return out
}

describe('the dockerfile-ast caches', () => {
  it('gives the same results with the caches of ast-cache.ts as without them', async () => {
    const all = texts()
    const before = all.map(recordFile)
    await import('../../src/dockerfile/ast-cache.js')
    const after = all.map(recordFile)
    for (let i = 0; i < all.length; i++)
      expect({ text: all[i], parsed: after[i] }).toEqual({ text: all[i], parsed: before[i] })
  })
})
