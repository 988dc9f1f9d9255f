import { describe, it, expect } from '@jest/globals'
import { lintText } from './helpers.js'
import { SI1010, sensitiveReason, sourceCovers } from '../../src/lint/rules/SI1010.js'

const CONTEXT = [
  'Dockerfile',
  '.env',
  '.env.example',
  '.git/HEAD',
  '.git/objects/ab/cdef',
  'deploy/id_rsa',
  'certs/server.pem',
  'src/index.js',
  '.aws/credentials'
]

describe('SI1010 context leaks', () => {
  it('reports each sensitive file a `COPY . .` sends, naming it, and the .git directory once', async () => {
    const fs = await lintText('FROM debian:12\nWORKDIR /app\nCOPY . .\n', {
      contextFiles: CONTEXT,
      rules: [SI1010]
    })
    expect(fs.map((f) => f.location?.startLine)).toEqual([3, 3, 3, 3, 3])
    const text = fs.map((f) => f.message).join('\n')
    for (const name of ['`.env`', '`.git/`', '`deploy/id_rsa`', '`certs/server.pem`', '`.aws/credentials`']) {
      expect(text).toContain(name)
    }
    expect(text).not.toContain('.env.example')
    expect(fs.every((f) => f.severity === 'high' && f.message.includes('COPY'))).toBe(true)
  })

  it('follows directory and glob sources, and ignores COPY --from and files outside the source', async () => {
    const text =
      'FROM debian:12\nCOPY certs/ /etc/certs/\nCOPY *.js /app/\nCOPY --from=busybox:stable / /x/\nADD deploy /deploy\n'
    const fs = await lintText(text, { contextFiles: CONTEXT, rules: [SI1010] })
    expect(fs.map((f) => [f.location?.startLine, f.message.split(' ')[0]])).toEqual([
      [2, '`certs/server.pem`'],
      [5, '`deploy/id_rsa`']
    ])
  })

  it('reports nothing without a context list', async () => {
    expect(await lintText('FROM debian:12\nCOPY . .\n', { rules: [SI1010] })).toEqual([])
  })

  it('matches sources as the builder does', () => {
    expect(sourceCovers('.', 'a/b')).toBe(true)
    expect(sourceCovers('./', '.env')).toBe(true)
    expect(sourceCovers('a', 'a/b')).toBe(true)
    expect(sourceCovers('a', 'ab/c')).toBe(false)
    expect(sourceCovers('*.pem', 'x.pem')).toBe(true)
    expect(sourceCovers('*.pem', 'd/x.pem')).toBe(false)
    expect(sensitiveReason('config/.env.production')).toBe('an environment file')
    expect(sensitiveReason('README.md')).toBeUndefined()
  })
})
