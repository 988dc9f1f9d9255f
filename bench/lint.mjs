// Lint benchmark: the time to parse and lint all 251 corpus Dockerfiles in one process, beside that same
// process's bare start-up time. Runs the TypeScript sources through tsx, so no build is needed:
//   node bench/lint.mjs            (or: node --import tsx bench/lint.mjs)
// Set SI_CORPUS_DIR=/path/to/dockerfiles to lint another directory (default ../shared/corpus/dockerfiles, relative
// to the repository, as the corpus test suites read it). The lint passes run without ShellCheck; ShellCheck
// over every RUN of the corpus (in batches, one process per 200 scripts) is timed after them, separately. Set
// SHELLCHECK=0 to leave it out.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'

// Milliseconds from the start of this process to the first line of this script: node's own start-up (and
// tsx's, when loaded with --import).
const startup = performance.now()
const startupCpu = process.cpuUsage()

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const corpus = resolve(root, process.env.SI_CORPUS_DIR || '../shared/corpus/dockerfiles')

const t0 = performance.now()
if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const { register } = await import('tsx/esm/api')
  register()
}
const { parseDockerfile } = await import(resolve(root, 'src/dockerfile/parse.ts'))
const { lintDockerfile } = await import(resolve(root, 'src/lint/engine.ts'))
const { shellcheckScripts } = await import(resolve(root, 'src/lint/shellcheck-scripts.ts'))
const { runShellcheck } = await import(resolve(root, 'src/lint/shellcheck.ts'))
const load = performance.now() - t0

let files
try {
  files = readdirSync(corpus).sort()
} catch (err) {
  console.error(`cannot read the corpus ${corpus}: ${err.code ?? err.message}`)
  process.exit(2)
}
const texts = files.map((f) => [f, readFileSync(resolve(corpus, f), 'utf8')])

async function lintAll() {
  const t = performance.now()
  const cpu = process.cpuUsage()
  let findings = 0
  let parseErrors = 0
  let parseMs = 0
  for (const [f, text] of texts) {
    const p = performance.now()
    const model = parseDockerfile(text, f)
    parseMs += performance.now() - p
    const out = await lintDockerfile(model)
    findings += out.length
    parseErrors += out.filter((x) => x.ruleId === 'SI0000').length
  }
  const used = process.cpuUsage(cpu)
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, parseMs, findings, parseErrors }
}

const first = await lintAll()
const second = await lintAll()
const total = performance.now()

// Wall time depends on what else the machine runs; CPU time (user + system of this process) much less so.
const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`
const cpuStart = (startupCpu.user + startupCpu.system) / 1000
const n = texts.length
console.log(`files linted:                   ${n} (${first.findings} findings, ${first.parseErrors} parse errors)`)
console.log(`                                     wall        cpu`)
console.log(`process start-up (bare):        ${fmt(startup)}  ${fmt(cpuStart)}`)
console.log(`loading parser + rules:         ${fmt(load)}`)
for (const [name, r] of [['1st', first], ['2nd', second]]) {
  const split = `(parse ${r.parseMs.toFixed(0)} ms + rules ${(r.ms - r.parseMs).toFixed(0)} ms wall)`
  console.log(`lint all ${n} files, ${name} pass:  ${fmt(r.ms)}  ${fmt(r.cpuMs)}   ${split}`)
}
console.log(`process total:                  ${fmt(total)}`)
console.log(`goal: 1st pass under 1000 ms wall — ${first.ms < 1000 ? 'met' : 'NOT met'}`)

/** CPU ms of this process's finished children (Linux /proc; cutime + cstime, 100 ticks a second). */
function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return NaN
  }
}

if (process.env.SHELLCHECK !== '0') {
  const cpu0 = childCpuMs()
  const t = performance.now()
  const scripts = texts.flatMap(([f, text]) => shellcheckScripts(parseDockerfile(text, f)))
  const built = performance.now() - t
  const r = await runShellcheck(scripts)
  const ms = performance.now() - t
  const cpu = childCpuMs() - cpu0
  if (!r.ran) {
    console.log(`ShellCheck:                     not run (${r.reason})`)
  } else {
    const batches = Math.ceil(scripts.length / 200)
    console.log(
      `ShellCheck ${r.version} over ${scripts.length} RUNs: ${fmt(ms)}   (scripts built in ${built.toFixed(0)} ms; ` +
        `${batches} shellcheck processes; ${r.comments.length} comments)`
    )
    console.log(`ShellCheck processes' cpu:                  ${fmt(cpu)}`)
    console.log(`lint + ShellCheck, 1st pass:    ${fmt(first.ms + ms)}`)
  }
}
