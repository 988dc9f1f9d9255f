/** The README is part of the contract: its tables must follow the code. */
import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { ruleCatalog } from '../src/lint/rules/index.js'

const readme = readFileSync('README.md', 'utf8')
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

describe('README', () => {
  it('has a rules table row for every implemented rule, with its severity', () => {
    const table = readme.slice(
      readme.indexOf('<!-- rules-table:start -->'),
      readme.indexOf('<!-- rules-table:end -->')
    )
    const rows = new Map(
      table
        .split('\n')
        .filter((l) => /^\| [A-Z]{2}\d{4} \|/.test(l))
        .map((l) => {
          const cells = l.split('|').map((c) => c.trim())
          return [cells[1], cells[2]] as const
        })
    )
    for (const rule of ruleCatalog()) {
      expect(rows.has(rule.id)).toBe(true)
      expect(rows.get(rule.id)).toMatch(new RegExp(`→ ${rule.severity}$`))
    }
    expect(rows.size).toBe(ruleCatalog().length)
  })

  it('documents every input and output of action.yml', () => {
    const rows = readme.split('\n').filter((l) => l.startsWith('| `'))
    for (const name of Object.keys(action.inputs)) {
      expect(rows.some((r) => r.split('|')[1].includes('`' + name + '`'))).toBe(true)
    }
    for (const name of Object.keys(action.outputs)) {
      expect(readme).toMatch(new RegExp('`' + name + '`'))
    }
  })

  it('shows exactly the two set-up commands', () => {
    const block = readme.slice(readme.indexOf('## Try it'), readme.indexOf('## Use it in a workflow'))
    const commands = [...block.matchAll(/^(npm [^#\n]+?)\s*(#.*)?$/gm)].map((m) => m[1])
    expect(commands).toEqual(['npm run demo', 'npm test'])
  })
})
