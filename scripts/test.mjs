// `npm test`: installs the dependencies when they are missing, sets up the engine, the registry and the base
// images (scripts/test-env.sh), then runs jest. Arguments are passed to jest.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

if (!existsSync('node_modules/.bin/jest')) run('npm', ['ci', '--no-audit', '--no-fund'])
run('bash', ['scripts/test-env.sh'])

const results = '.jest-results.json'
rmSync(results, { force: true })
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() }
const r = spawnSync('node_modules/.bin/jest', ['--json', `--outputFile=${results}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env
})
if (existsSync(results)) {
  const j = JSON.parse(readFileSync(results, 'utf8'))
  rmSync(results, { force: true })
  console.log(`\n${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests} skipped`)
  if (j.numTotalTests === 0) {
    console.error('no test ran')
    process.exit(1)
  }
}
process.exit(r.status ?? 1)
