// `npm test`: installs the dependencies when they are missing, sets up the engines, the registry and the base
// images (scripts/test-env.sh), then runs jest in two passes:
//   1. every test, against Debian's Docker 20.10 (graph-driver image store);
//   2. the tests that talk to an engine, against the modern engine (Docker 28+, containerd image store).
// In each pass the end-to-end suites run one at a time after the others: they share the engine and the registry,
// and each runs the whole action many times.
// Images the tests made are removed after each jest run, not during it (see untag in __tests__/helpers/testenv.ts).
// Arguments are passed to jest in both passes (then pass 2 runs what they select, not only the engine tests).
// SI_ENGINES=old or SI_ENGINES=modern runs one pass only.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The test files that talk to a Docker engine: they run on both engines. */
export const ENGINE_TESTS = [
  '__tests__/docker/(engine|push|fallback|context|tags)\\.test\\.ts',
  '__tests__/main\\.push\\.test\\.ts',
  '__tests__/baseline/(load|attestation\\.registry)\\.test\\.ts',
  '__tests__/e2e/',
  '\\.engine\\.test\\.ts$',
  '__tests__/scan/(real-images|rpm-databases|language-packages|java-archives|go-binary|dpkg-status|apk-usrmerge|coverage\\.pipeline)\\.test\\.ts',
  '__tests__/scan/osv/debian12\\.test\\.ts',
  '__tests__/sign/(cli-verify|sign\\.registry)\\.test\\.ts',
  '__tests__/scan/image/archive\\.test\\.ts'
]

const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

if (!existsSync('node_modules/.bin/jest')) run('npm', ['ci', '--no-audit', '--no-fund'])
run('bash', ['scripts/test-env.sh'])

const state = process.env.SI_STATE_DIR ?? '/var/lib/secure-image-test'
const modernEnv = `${state}/modern/env`
const modern = existsSync(modernEnv)
  ? Object.fromEntries(
      readFileSync(modernEnv, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
    )
  : undefined
const which = process.env.SI_ENGINES ?? 'both'
const userArgs = process.argv.slice(2)

/** Removes the images the suites listed for removal, once none of them runs any more. */
const removeImages = (file, env) => {
  if (!existsSync(file)) return
  const names = [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))]
  for (let i = 0; i < names.length; i += 100) {
    // -f: a stopped container a test left must not keep its image; a name already gone is not an error
    spawnSync('docker', ['image', 'rm', '-f', ...names.slice(i, i + 100)], { stdio: 'ignore', env })
  }
}

const totals = { passed: 0, failed: 0, skipped: 0, total: 0 }
let status = 0
const pass = (name, args, extraEnv) => {
  console.log(`\n=== ${name} ===`)
  const results = '.jest-results.json'
  rmSync(results, { force: true })
  const env = {
    ...process.env,
    ...extraEnv,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim()
  }
  const cleanupDir = mkdtempSync(join(tmpdir(), 'si-test-cleanup-'))
  env.SI_CLEANUP_FILE = join(cleanupDir, 'images')
  // The scan's cache (offline OSV name indexes) of this jest run only: nothing from the user's cache or an
  // earlier run is read, and nothing is written outside the run.
  env.SECURE_IMAGE_CACHE_DIR = join(cleanupDir, 'cache')
  const r = spawnSync('node_modules/.bin/jest', ['--json', `--outputFile=${results}`, ...args], {
    stdio: 'inherit',
    env
  })
  removeImages(env.SI_CLEANUP_FILE, env)
  rmSync(cleanupDir, { recursive: true, force: true })
  if (existsSync(results)) {
    const j = JSON.parse(readFileSync(results, 'utf8'))
    rmSync(results, { force: true })
    console.log(
      `${name}: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests} skipped`
    )
    totals.passed += j.numPassedTests
    totals.failed += j.numFailedTests
    totals.skipped += j.numPendingTests
    totals.total += j.numTotalTests
  }
  if (r.status !== 0) status = r.status ?? 1
}

/** One engine's pass: the suites in parallel, then the end-to-end suites one at a time. */
const engineRun = (name, args, env) => {
  if (userArgs.length > 0) return pass(name, args, env)
  pass(`${name}, parallel suites`, ['--testPathIgnorePatterns', '/__tests__/e2e/', ...args], env)
  pass(`${name}, end-to-end suites in band`, ['--runInBand', '--passWithNoTests', '__tests__/e2e/'], env)
}

if (which !== 'modern') engineRun('Docker 20.10 (graph-driver store): all tests', userArgs, {})
if (which !== 'old') {
  if (!modern) {
    console.error(`the modern engine is not set up (${modernEnv} is missing): run bash scripts/test-env.sh`)
    status = 1
  } else {
    const args = ['--passWithNoTests', ...(userArgs.length > 0 ? userArgs : ENGINE_TESTS)]
    engineRun(`Docker ${modern.MODERN_VERSION} (containerd store): engine tests`, args, {
      DOCKER_HOST: modern.MODERN_HOST
    })
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
if (totals.total === 0) {
  console.error('no test ran')
  process.exit(1)
}
process.exit(status)
