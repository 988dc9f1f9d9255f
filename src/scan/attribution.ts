/**
 * Attribution: which Dockerfile line made each layer. Layers map to the image history (`created_by`, empty
 * layers skipped); the history's last entries map to the instructions of the built stage (the `target` stage, or
 * the last one) and of the stages it is built FROM in the same Dockerfile, matched by instruction keyword from the end. Every earlier layer came
 * with the base image: it is `inherited` and located at the FROM line.
 */
import {
  KNOWN_INSTRUCTIONS,
  type DockerfileModel,
  type Instruction,
  type Stage
} from '../dockerfile/parse.js'
import type { Location } from '../findings.js'
import type { ImageLayer } from './types.js'

export interface HistoryEntry {
  created?: string
  created_by?: string
  empty_layer?: boolean
  comment?: string
}

/** The Dockerfile keyword a history entry came from (classic builder and BuildKit forms), or undefined. */
export function historyKeyword(createdBy: string | undefined): string | undefined {
  const c = (createdBy ?? '').trim()
  if (!c) return undefined
  const nop = /#\(nop\)\s+([A-Z]+)/.exec(c)
  if (nop) return nop[1]
  const first = /^([A-Z]+)\b/.exec(c)
  if (first && KNOWN_INSTRUCTIONS.has(first[1])) return first[1]
  // The classic builder records RUN as the shell command itself (`/bin/sh -c …`, `|2 A=1 B=2 /bin/sh -c …`).
  return 'RUN'
}

/** The stage the image is: the `target` stage when one is named (as `--target`), else the last stage. */
export function builtStage(model: DockerfileModel, target?: string): Stage | undefined {
  if (target) {
    const t = target.toLowerCase()
    const named = model.stages.find((s) => s.name === t)
    if (named) return named
  }
  return model.stages[model.stages.length - 1]
}

/** The stages the built stage is built on within the Dockerfile (`FROM builder`), first one first. */
export function finalStageChain(model: DockerfileModel, target?: string): Stage[] {
  const chain: Stage[] = []
  let st: Stage | undefined = builtStage(model, target)
  const seen = new Set<number>()
  while (st && !seen.has(st.index)) {
    seen.add(st.index)
    chain.unshift(st)
    const ref = st.image.toLowerCase()
    const before: Stage[] = model.stages.slice(0, st.index)
    st = before.find((s) => s.name === ref) ?? (/^\d+$/.test(ref) ? before[Number(ref)] : undefined)
  }
  return chain
}

function location(path: string, ins: Instruction): Location {
  return { path, startLine: ins.startLine, endLine: ins.endLine }
}

/**
 * The image's layers in order, each with its history entry and, when the Dockerfile model is given, the line
 * that made it. Without a model no layer can be told apart from the base: none is marked inherited.
 */
export function attributeLayers(
  diffIds: string[],
  history: HistoryEntry[] | undefined,
  model?: DockerfileModel,
  dockerfilePath?: string,
  target?: string
): ImageLayer[] {
  const hist = history ?? []
  const layerHist = hist.filter((h) => !h.empty_layer)
  // Align from the end when the history does not cover every layer.
  const offset = layerHist.length - diffIds.length
  const layers: ImageLayer[] = diffIds.map((digest, index) => {
    const l: ImageLayer = { digest, index, inherited: false }
    const h = layerHist[index + offset]
    if (h?.created_by) l.createdBy = h.created_by
    return l
  })
  if (!model || model.stages.length === 0) return layers

  const path = dockerfilePath ?? model.path
  const chain = finalStageChain(model, target)
  const baseFrom = chain[0].from
  const instructions = chain.flatMap((s) => s.instructions.filter((i) => i.keyword !== 'FROM'))
  // Pair history entries with instructions from the end; what is left over came with the base.
  const paired = new Map<HistoryEntry, Instruction>()
  let ptr = instructions.length - 1
  for (let h = hist.length - 1; h >= 0 && ptr >= 0; h--) {
    const kw = historyKeyword(hist[h].created_by)
    let i = ptr
    while (kw && i >= 0 && instructions[i].keyword !== kw) i--
    if (!kw || i < 0) {
      // A metadata entry the Dockerfile does not hold (the classic builder records the build's `labels` as
      // a last LABEL) makes no layer: pass over it. A layer that matches no instruction came with the base.
      if (hist[h].empty_layer) continue
      break
    }
    paired.set(hist[h], instructions[i])
    ptr = i - 1
  }
  for (const l of layers) {
    const h = layerHist[l.index + offset]
    const ins = h ? paired.get(h) : undefined
    if (ins) {
      l.location = location(path, ins)
    } else {
      l.inherited = true
      l.location = location(path, baseFrom)
    }
  }
  return layers
}
