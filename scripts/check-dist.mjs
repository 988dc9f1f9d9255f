// Fails when dist/ differs from what `npm run build` makes from the sources.
import { execFileSync } from 'node:child_process'

execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' })
const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' }).trim()
if (changed) {
  console.error('dist/ is stale: rebuild it with `npm run build` and commit the result.\n' + changed)
  process.exit(1)
}
console.log('dist/ is up to date')
