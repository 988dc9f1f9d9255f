/**
 * After the build: proof that the built image sits on an approved base. The text checks of `checkPolicy`
 * cannot see what the engine actually used (a local image pre-tagged with an approved name, a build-arg that
 * changed the base, a name re-pointed between check and build); the image metadata can.
 */
import type { Finding } from '../findings.js'
import type { DockerfileModel, Stage } from '../dockerfile/parse.js'
import { expand } from '../dockerfile/expand.js'
import { isAllowed, parseAllowlist } from './allowlist.js'
import { POLICY_RULES } from './check.js'
import { canonicalRepository, tryParseReference, type ImageReference } from './reference.js'
import { fromScope } from './sources.js'

/**
 * The external image the final stage (or the `target` stage) is built on, following stage aliases
 * (`FROM build AS final` → the image `build` is on), with variables expanded as for FROM. Undefined when the
 * stage sits on `scratch`. Throws when `target` names no stage.
 */
export function finalBaseReference(
  model: DockerfileModel,
  buildArgs?: ReadonlyMap<string, string>,
  target?: string
): { ref: string; line: number } | undefined {
  let stage: Stage | undefined
  if (target !== undefined && target !== '') {
    stage = model.stages.find((s) => s.name === target.toLowerCase())
    if (!stage) {
      const names = model.stages.flatMap((s) => (s.name ? [s.name] : []))
      throw new Error(
        `the target stage "${target}" is not in ${model.path} (its named stages: ${names.length ? names.join(', ') : 'none'})`
      )
    }
  } else {
    stage = model.stages[model.stages.length - 1]
  }
  if (!stage) return undefined
  const vars = fromScope(model, buildArgs)
  for (;;) {
    const image: string = expand(stage.image, vars, model.escape).value
    if (image.toLowerCase() === 'scratch') return undefined
    const current: Stage = stage
    const alias: Stage | undefined = model.stages.find(
      (s) => s.index < current.index && s.name !== undefined && s.name === image.toLowerCase()
    )
    if (!alias) return { ref: image, line: stage.from.startLine }
    stage = alias
  }
}

export interface BaseImageInfo {
  /** Image ID, `sha256:…`. */
  id: string
  repoTags: string[]
  repoDigests: string[]
  /** `RootFS.Layers`: the diff IDs, base first. */
  layers: string[]
}

export interface ProvenanceInput {
  /** The built image's `RootFS.Layers`. */
  built: { layers: string[] }
  /** The engine's image for `expected`, or undefined when the engine has none. */
  base?: BaseImageInfo
  /** The base reference the Dockerfile names (see `finalBaseReference`). */
  expected: string
  /** Line of the FROM that names the base, and the Dockerfile path as given. */
  line: number
  path: string
  allowedRegistries: string[]
  /**
   * The engine's image store. The graph-driver store records a repo digest only for an image pulled from or
   * pushed to that repository, so a repo digest shows where the content came from. The containerd store
   * (Docker 29's default) makes a repo digest for every name an image has, local tags included, so there a repo
   * digest proves nothing, and only `registryEvidence` does.
   */
  store?: 'graphdriver' | 'containerd'
  /** What registries answered for the base's names: the manifest digest each serves (see `registryEvidence`). */
  registryEvidence?: { name: string; digest?: string; error?: string }[]
}

/**
 * The names of the base worth asking their registry about: its tags in the allowed registries, and only when
 * the base also has names outside them (otherwise there is nothing to disprove). For the containerd store.
 */
export function namesToVerify(base: BaseImageInfo, allowedRegistries: string[]): string[] {
  const allowlist = parseAllowlist(allowedRegistries)
  const allowed = (r: ImageReference): boolean => isAllowed(canonicalRepository(r), allowlist)
  const named = parseNames([...base.repoTags, ...base.repoDigests])
  if (!named.some((r) => !allowed(r))) return []
  return base.repoTags.filter((n) => {
    const r = tryParseReference(n)
    return r !== undefined && allowed(r)
  })
}

/**
 * Checks that the built image sits on an approved base:
 * - the base's layer chain is a prefix of the built image's chain;
 * - the base is the image `expected` names (its repo digest when `expected` is pinned, its tag otherwise);
 * - at least one of its repo tags or digests is in an allowed repository;
 * - unless a repo digest from an allowed repository shows where its content came from, none of its names is
 *   outside the list (a local tag proves nothing: any image can be tagged with an approved name).
 * Returns one critical finding listing what failed, or nothing.
 */
export function checkProvenance(input: ProvenanceInput): Finding[] {
  const allowlist = parseAllowlist(input.allowedRegistries)
  const problems: string[] = []
  const expected = tryParseReference(input.expected)
  const base = input.base
  if (!expected) {
    problems.push(`"${input.expected}" is not a valid image reference`)
  } else if (!base) {
    problems.push(`the engine has no image named ${input.expected} to compare the built image with`)
  } else {
    problems.push(...layerProblems(input.built.layers, base))
    const tags = parseNames(base.repoTags)
    const digests = parseNames(base.repoDigests)
    // Repo digests that show where the content came from (see `store`).
    const provenDigests =
      input.store === 'containerd'
        ? parseNames(
            (input.registryEvidence ?? [])
              .filter((e) => e.digest === base.id)
              .map((e) => `${e.name.replace(/:[^:/]+$/, '')}@${e.digest}`)
          )
        : digests
    const repo = canonicalRepository(expected)
    if (expected.digest !== undefined) {
      const pinned = digests.some((d) => canonicalRepository(d) === repo && d.digest === expected.digest)
      if (!pinned) {
        problems.push(
          `image ${short(base.id)} is not ${repo}@${expected.digest} (its repo digests: ${list(base.repoDigests)})`
        )
      }
    } else {
      const tag = expected.tag ?? 'latest'
      if (!tags.some((t) => canonicalRepository(t) === repo && (t.tag ?? 'latest') === tag)) {
        problems.push(
          `image ${short(base.id)} is not tagged ${repo}:${tag} (its tags: ${list(base.repoTags)})`
        )
      }
    }
    const named = [...tags, ...digests]
    const allowed = (r: ImageReference): boolean => isAllowed(canonicalRepository(r), allowlist)
    if (!named.some(allowed)) {
      problems.push(
        `none of its names is in an allowed registry (names: ${list([...base.repoTags, ...base.repoDigests])}; ` +
          `allowed: ${allowlist.length ? allowlist.join(', ') : 'none'})`
      )
    } else if (!provenDigests.some(allowed)) {
      const foreign = [...new Set(named.filter((r) => !allowed(r)).map(canonicalRepository))]
      if (foreign.length > 0) {
        const unverified = (input.registryEvidence ?? []).filter((e) => e.error || e.digest !== base.id)
        const asked = unverified.length
          ? ` (asked: ${unverified.map((e) => `${e.name}: ${e.error ?? `serves ${short(e.digest ?? '')}`}`).join('; ')})`
          : ''
        problems.push(
          `image ${short(base.id)} is also known as ${foreign.join(', ')}, outside the allowed registries, and no ` +
            `${input.store === 'containerd' ? 'allowed registry serves it under an allowed name' : 'repo digest from an allowed registry shows where its content came from'}${asked}`
        )
      }
    }
  }
  if (problems.length === 0) return []
  return [
    {
      category: 'policy',
      ruleId: POLICY_RULES.provenance.id,
      severity: POLICY_RULES.provenance.severity,
      message: `The built image does not sit on the approved base ${input.expected}: ${problems.join('; ')}.`,
      help: POLICY_RULES.provenance.help,
      location: { path: input.path, startLine: input.line, endLine: input.line }
    }
  ]
}

function layerProblems(built: string[], base: BaseImageInfo): string[] {
  const n = base.layers.length
  if (n > built.length) {
    return [`the base ${short(base.id)} has ${n} layers and the built image only ${built.length}`]
  }
  const diverge = base.layers.findIndex((l, i) => built[i] !== l)
  if (diverge >= 0) {
    return [
      `layer ${diverge + 1} of the built image is ${short(built[diverge])}, not the base's ${short(base.layers[diverge])} ` +
        `(the base ${short(base.id)}'s ${n} layers are not the start of the built image's chain)`
    ]
  }
  return []
}

function parseNames(names: string[]): ImageReference[] {
  const out: ImageReference[] = []
  for (const n of names) {
    if (n.startsWith('<none>')) continue
    const r = tryParseReference(n)
    if (r) out.push(r)
  }
  return out
}

function short(id: string | undefined): string {
  if (!id) return '(none)'
  const hex = id.startsWith('sha256:') ? id.slice(7) : id
  return `sha256:${hex.slice(0, 12)}`
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : 'none'
}
