import { describe, it, expect } from '@jest/globals'
import { addedLines, ChangedLines, normalizePath } from '../../src/publish/changes.js'
import { lint } from './make.js'

// A patch as the pulls API returns it for a Dockerfile edit (hunk headers, context, removals, additions).
const PATCH = [
  '@@ -1,4 +1,5 @@',
  ' FROM debian:12',
  '-RUN apt-get update',
  '+RUN apt-get update \\',
  '+ && apt-get install -y curl',
  ' COPY . /app',
  ' WORKDIR /app',
  '@@ -10,2 +11,3 @@ CMD',
  ' USER app',
  '+EXPOSE 8080',
  ' CMD ["/app/run"]',
  '\\ No newline at end of file'
].join('\n')

describe('addedLines', () => {
  it('numbers the + lines in the new file, across hunks', () => {
    expect([...addedLines(PATCH)].sort((a, b) => a - b)).toEqual([2, 3, 12])
  })

  it('reads a hunk header without counts', () => {
    expect([...addedLines('@@ -1 +1 @@\n-a\n+b')]).toEqual([1])
  })
})

describe('ChangedLines', () => {
  const changed = ChangedLines.fromPullFiles([
    { filename: 'Dockerfile', status: 'modified', patch: PATCH },
    { filename: 'app/Dockerfile', status: 'modified' },
    { filename: 'old/Dockerfile', status: 'removed', patch: '@@ -1 +0,0 @@\n-FROM x' }
  ])

  it('ranks a finding on a changed line, in a changed file, elsewhere', () => {
    expect(changed.rank(lint(3))).toBe(2)
    expect(changed.isNew(lint(3))).toBe(true)
    expect(changed.rank(lint(5))).toBe(1)
    expect(changed.rank(lint(1, { location: { path: './app/Dockerfile', startLine: 1 } }))).toBe(1)
    expect(changed.rank(lint(1, { location: { path: 'other/Dockerfile', startLine: 1 } }))).toBe(0)
    expect(changed.hasFile('old/Dockerfile')).toBe(false)
  })

  it('counts a multi-line instruction as changed when any of its lines changed', () => {
    expect(changed.hasLine('Dockerfile', 10, 12)).toBe(true)
    expect(changed.hasLine('Dockerfile', 4, 6)).toBe(false)
  })

  it('normalises paths', () => {
    expect(normalizePath('./a//b\\Dockerfile')).toBe('a/b/Dockerfile')
  })
})
