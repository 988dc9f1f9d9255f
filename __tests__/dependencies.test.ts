/** Every runtime dependency in package.json is imported by the product's sources: nothing ships unused. */
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Dependencies nothing in src imports by name, each with the reason it is still needed. */
const INDIRECT: Record<string, string> = {
  'promise-retry': '@sigstore/oci requires it at run time without declaring it; the bundle needs it installed'
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

  it.each(Object.keys(pkg.dependencies).filter((d) => !(d in INDIRECT)))('%s is imported', (dep) => {
    const escaped = dep.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    expect(text).toMatch(new RegExp(`(from |import\\()'${escaped}(/[^']*)?'`))
  })

  it('sh-syntax is gone (nothing parses shell with it)', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('sh-syntax')
  })

  it.each(Object.entries(INDIRECT))('%s is required by a dependency that does not declare it', (dep, why) => {
    const user = why.split(' ')[0]
    const manifest = JSON.parse(readFileSync(`node_modules/${user}/package.json`, 'utf8')) as {
      dependencies?: Record<string, string>
    }
    expect(manifest.dependencies ?? {}).not.toHaveProperty(dep)
    const dir = `node_modules/${user}/dist`
    const code = readdirSync(dir)
      .filter((n) => n.endsWith('.js'))
      .map((n) => readFileSync(join(dir, n), 'utf8'))
      .join('\n')
    expect(code).toContain(`require("${dep}")`)
  })
})
