/** Every runtime dependency in package.json is imported by the product's sources: nothing ships unused. */
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Dependencies kept for code that lands separately; each names its use. */
const PENDING: Record<string, string> = {
  '@actions/exec': 'runs ShellCheck for the RUN-script lint rules'
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|mjs)$/.test(n) ? [p] : []
  })
}

describe('package.json dependencies', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }
  const text = [...sources('src'), ...sources('scripts')].map((f) => readFileSync(f, 'utf8')).join('\n')

  it.each(Object.keys(pkg.dependencies).filter((d) => !(d in PENDING)))('%s is imported', (dep) => {
    const escaped = dep.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    expect(text).toMatch(new RegExp(`(from |import\\()'${escaped}(/[^']*)?'`))
  })

  it('sh-syntax is gone (nothing parses shell with it)', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('sh-syntax')
  })
})
