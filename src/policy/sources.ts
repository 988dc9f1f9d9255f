/**
 * Every external image a Dockerfile brings into a build: `FROM` (with `--platform`), `COPY --from=<image>`,
 * `RUN --mount=…,from=<image>`, and the `ONBUILD` forms of the last two. Stage aliases, stage indexes and
 * `scratch` are not external images.
 *
 * Variables are resolved as BuildKit resolves them: a `FROM` line sees the ARGs declared before the first
 * `FROM` (with `build-args` overriding their defaults) and the automatic platform ARGs (`TARGETPLATFORM`,
 * `BUILDARCH`, …); `COPY --from` and `RUN --mount from=` see the variables in scope in their stage. A variable
 * with no value is reported in `unresolved`, never guessed. `ONBUILD` triggers run in a later build whose
 * variables are unknown here, so every variable they use is unresolved.
 */
import {
  globalArgValues,
  mountOptions,
  stageVars,
  unquote,
  type DockerfileModel,
  type Instruction,
  type Stage
} from '../dockerfile/parse.js'
import { expand } from '../dockerfile/expand.js'

export interface ImageSource {
  /** `frontend`: the `# syntax=` directive; `frontend-arg`: the BUILDKIT_SYNTAX build argument. */
  kind: 'from' | 'copy-from' | 'mount-from' | 'frontend' | 'frontend-arg'
  /** True for an `ONBUILD` trigger: the image is pulled by builds that use this image as their base. */
  onbuild: boolean
  /** The image as written. */
  raw: string
  /** The image after variable expansion (unresolved variables expand to nothing). */
  expanded: string
  /** Variables the image uses that have no value. */
  unresolved: string[]
  line: number
  /** Index of the stage the instruction is in. */
  stage: number
  /** The `--platform` of a `FROM`, expanded. */
  platform?: string
}

const GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64'
}

/**
 * The automatic platform ARGs BuildKit defines in the global scope, for a build on this machine's engine
 * (build and target platform are the same unless build-args say otherwise).
 */
export function platformArgs(arch: string = process.arch): Map<string, string> {
  const goarch = GOARCH[arch] ?? arch
  const variant = goarch === 'arm' ? 'v7' : ''
  const platform = `linux/${goarch}${variant ? `/${variant}` : ''}`
  const m = new Map<string, string>()
  for (const p of ['BUILD', 'TARGET']) {
    m.set(`${p}PLATFORM`, platform)
    m.set(`${p}OS`, 'linux')
    m.set(`${p}ARCH`, goarch)
    m.set(`${p}VARIANT`, variant)
  }
  return m
}

/** The variables a `FROM` line sees. */
export function fromScope(
  model: DockerfileModel,
  buildArgs: ReadonlyMap<string, string> = new Map()
): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>()
  for (const [k, v] of platformArgs()) vars.set(k, buildArgs.get(k) ?? v)
  for (const [k, v] of globalArgValues(model, buildArgs)) {
    if (v !== undefined || !vars.has(k)) vars.set(k, v)
  }
  return vars
}

function instructionScope(
  model: DockerfileModel,
  stage: Stage,
  ins: Instruction,
  buildArgs: ReadonlyMap<string, string>
): Map<string, string | undefined> {
  const vars = stageVars(model, stage, ins, buildArgs)
  const platform = platformArgs()
  for (const [k, v] of vars) {
    if (v === undefined && platform.has(k)) vars.set(k, buildArgs.get(k) ?? platform.get(k))
  }
  return vars
}

/** The names of the variables a word uses, honouring the escape character. */
export function variableNames(text: string, escape = '\\'): string[] {
  const names: string[] = []
  for (let i = 0; i < text.length; i++) {
    if (text[i] === escape && text[i + 1] === '$') {
      i++
      continue
    }
    if (text[i] !== '$') continue
    const m = /^\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i + 1))
    if (m) names.push(m[1])
  }
  return [...new Set(names)]
}

const isScratch = (s: string): boolean => s.toLowerCase() === 'scratch'
const isIndex = (s: string): boolean => /^[+-]?[0-9]+$/.test(s)

/** Every external image the Dockerfile uses, in file order. */
export function imageSources(
  model: DockerfileModel,
  buildArgs: ReadonlyMap<string, string> = new Map()
): ImageSource[] {
  const out: ImageSource[] = []
  const globals = fromScope(model, buildArgs)
  const allNames = new Set(model.stages.flatMap((s) => (s.name ? [s.name] : [])))
  const earlierNames = new Set<string>()

  for (const stage of model.stages) {
    const raw = stage.image
    if (raw) {
      const e = expand(raw, globals, model.escape)
      if (!(e.unresolved.length === 0 && (isScratch(e.value) || earlierNames.has(e.value.toLowerCase())))) {
        const src: ImageSource = {
          kind: 'from',
          onbuild: false,
          raw,
          expanded: e.value,
          unresolved: e.unresolved,
          line: stage.from.startLine,
          stage: stage.index
        }
        if (stage.platform) src.platform = expand(stage.platform, globals, model.escape).value
        out.push(src)
      }
    }
    if (stage.name) earlierNames.add(stage.name)

    for (const ins of stage.instructions) {
      const onbuild = ins.keyword === 'ONBUILD'
      const target = onbuild ? ins.trigger : ins
      if (!target) continue
      for (const raw of fromValues(target)) {
        if (onbuild) {
          if (isIndex(raw) || isScratch(raw)) continue
          const unresolved = variableNames(raw, model.escape)
          out.push(source(target, raw, raw, unresolved, true, stage.index))
          continue
        }
        const e = expand(raw, instructionScope(model, stage, ins, buildArgs), model.escape)
        if (e.unresolved.length === 0) {
          if (isIndex(e.value) || isScratch(e.value) || allNames.has(e.value.toLowerCase())) continue
        }
        out.push(source(target, raw, e.value, e.unresolved, false, stage.index))
      }
    }
  }
  return out
}

function source(
  ins: Instruction,
  raw: string,
  expanded: string,
  unresolved: string[],
  onbuild: boolean,
  stage: number
): ImageSource {
  return {
    kind: ins.keyword === 'COPY' ? 'copy-from' : 'mount-from',
    onbuild,
    raw,
    expanded,
    unresolved,
    line: ins.startLine,
    stage
  }
}

/** The `--from` of a COPY, and the `from=` of each `--mount` of a RUN. */
function fromValues(ins: Instruction): string[] {
  const values: string[] = []
  if (ins.keyword === 'COPY') {
    for (const f of ins.flags) if (f.name === 'from' && f.value !== null) values.push(unquote(f.value))
  } else if (ins.keyword === 'RUN') {
    for (const f of ins.flags) {
      if (f.name !== 'mount' || f.value === null) continue
      const from = mountOptions(f.value).get('from')
      if (from !== undefined && from !== '') values.push(from)
    }
  }
  return values
}
