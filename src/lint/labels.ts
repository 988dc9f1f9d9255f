/** LABEL key/value pairs as the label rules (DL3048–DL3058) read them. */
import { envPairs, type DockerfileModel, type Instruction, type Stage } from '../dockerfile/parse.js'

export interface LabelPair {
  key: string
  value: string
  ins: Instruction
}

/** The labels set in one stage, in order. */
export function labelsOf(stage: Stage): LabelPair[] {
  return stage.instructions
    .filter((i) => i.keyword === 'LABEL')
    .flatMap((ins) =>
      envPairs(ins).map(([key, value]) => ({ key: key.replace(/^"(.*)"$/, '$1'), value, ins }))
    )
}

/** The labels the final image carries from this Dockerfile: its stage's and those of the stages it is FROM. */
export function finalLabels(model: DockerfileModel): LabelPair[] {
  const out: LabelPair[] = []
  let st: Stage | undefined = model.stages[model.stages.length - 1]
  const seen = new Set<Stage>()
  while (st && !seen.has(st)) {
    seen.add(st)
    out.unshift(...labelsOf(st))
    const parent = st.image.toLowerCase()
    st = model.stages.find((s) => s.name === parent && s.index < (st as Stage).index)
  }
  return out
}

/** Every label of every stage that is typed in the schema, for the per-value checks. */
export function schemaLabels(
  model: DockerfileModel,
  schema: Record<string, string>,
  type: string
): LabelPair[] {
  return model.stages.flatMap(labelsOf).filter((l) => schema[l.key] === type)
}
