/**
 * src/dockerfile/ast-args.ts must read every instruction exactly as dockerfile-ast's own methods do: the words
 * (`getRawArguments()`, values and ranges) and the arguments' text (`getArgumentsContent()`). This file does
 * not load src/dockerfile/ast-cache.ts, so the library's methods are still its own here: both readings are run
 * over hand-picked cases, generated Dockerfiles and the corpus, and compared.
 */
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DockerfileParser, Onbuild, type Argument, type Instruction } from 'dockerfile-ast'
import { argumentsContent, rawArguments, type RawInstruction } from '../../src/dockerfile/ast-args.js'
import { CORPUS_DIR, describeWithCorpus } from '../helpers/corpus.js'

interface Reading {
  words: { value: string; range: unknown }[]
  content: string | null
}

/** The library's and the port's reading of every instruction (and ONBUILD trigger) of `text`. */
function readings(text: string): { library: Reading; port: Reading }[] {
  const out: { library: Reading; port: Reading }[] = []
  const visit = (ins: Instruction): void => {
    const raw = ins as unknown as RawInstruction
    const library: Reading = {
      words: (ins as unknown as { getRawArguments(): Argument[] })
        .getRawArguments()
        .map((a) => ({ value: a.getValue(), range: a.getRange() })),
      content: ins.getArgumentsContent()
    }
    const port: Reading = {
      words: rawArguments(raw).map((a) => ({ value: a.getValue(), range: a.getRange() })),
      content: argumentsContent(raw)
    }
    out.push({ library, port })
    if (ins instanceof Onbuild) {
      const t = ins.getTriggerInstruction()
      if (t) visit(t)
    }
  }
  for (const ins of DockerfileParser.parse(text).getInstructions()) visit(ins)
  return out
}

function expectSame(text: string): number {
  const r = readings(text)
  for (const { library, port } of r) expect({ text, port }).toEqual({ text, port: library })
  return r.length
}

/** A small deterministic generator (the same Dockerfiles on every run). */
function generator(seed: number): () => number {
  let x = seed
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648
}

// prettier-ignore
const PIECES = [
  'RUN', 'FROM', 'ENV', 'COPY', 'ONBUILD RUN', 'LABEL', 'ARG', ' ', ' ', '\t', '\n', '\r\n', '\\', '\\\n',
  '\\ \n', '\\\t\r\n', '\\ x', '\\\r', '`', '`\n', '#', '# c\n', '\n#', '\n  #', '$', '\\$', 'a', 'b=c', '"q r"',
  "'s'", '<<EOF', 'EOF', '--mount=type=cache', '\\\\', 'x\\', '[', '"x"', ']', '\u00a0'
]

describe('rawArguments and argumentsContent', () => {
  it('read hand-picked escapes, continuations and comments as the library does', () => {
    const cases = [
      'RUN a b  c\n',
      'RUN a \\\n  b \\\n# comment\n  c\n',
      'RUN a\\\n\\\nb\n',
      'RUN a \\ \n b\n',
      'RUN a\\ b \\$x \\\\ \\"\n',
      'RUN a \\\r\n b\r\n',
      '# escape=`\nRUN a `\n b `$x c\\d\n',
      'RUN <<EOF\necho hi\nEOF\n',
      'ONBUILD RUN a \\\n b\n',
      'ENV A=1 \\\n    B="x y"\n',
      'RUN --mount=type=cache,target=/x \\\n  a \\\n  b\n',
      'RUN a \\\nb \\\n  #c\nd\n',
      'RUN a \\',
      'RUN \\\n',
      'RUN a\\',
      'RUN x \\  \n   \\\n  # c \\\n y\n'
    ]
    for (const c of cases) expectSame(c)
  })

  it('read generated Dockerfiles as the library does', () => {
    const rnd = generator(7)
    let instructions = 0
    for (let k = 0; k < 3000; k++) {
      let text = ''
      const len = 2 + Math.floor(rnd() * 24)
      for (let i = 0; i < len; i++) text += PIECES[Math.floor(rnd() * PIECES.length)]
      instructions += expectSame(text)
    }
    expect(instructions).toBeGreaterThan(3000)
  })
})

describeWithCorpus('rawArguments and argumentsContent over the corpus', () => {
  it('read every corpus Dockerfile as the library does', () => {
    let instructions = 0
    for (const f of readdirSync(CORPUS_DIR))
      instructions += expectSame(readFileSync(join(CORPUS_DIR, f), 'utf8'))
    expect(instructions).toBeGreaterThan(1000)
  })
})
