/**
 * The shared corpus of real Dockerfiles lives beside the repository, not in it. Its path comes from one variable,
 * `SI_CORPUS_DIR` (relative paths against the repository root), which `.ci/run` sets; the default is
 * `../shared/corpus/dockerfiles`. Where the directory is absent (a fresh clone), the suites that need it are
 * skipped under a name that says why, and everything else runs.
 */
import { describe } from '@jest/globals'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

export const CORPUS_DIR = resolve(process.cwd(), process.env.SI_CORPUS_DIR || '../shared/corpus/dockerfiles')

export const corpusPresent = existsSync(CORPUS_DIR)

/** `describe` when the corpus is there; otherwise `describe.skip`, named with the reason (its body still runs, so
 * it must not read the corpus outside its tests). */
export function describeWithCorpus(name: string, fn: () => void): void {
  if (corpusPresent) describe(name, fn)
  else describe.skip(`${name} (skipped: no Dockerfile corpus at ${CORPUS_DIR}; set SI_CORPUS_DIR)`, fn)
}
