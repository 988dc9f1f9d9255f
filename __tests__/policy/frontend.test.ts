/** The Dockerfile frontend (`# syntax=`, BUILDKIT_SYNTAX) is an image source like every other. */
import { describe, it, expect } from '@jest/globals'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { checkPolicy } from '../../src/policy/check.js'
import { syntaxDirective } from '../../src/policy/frontend.js'

const check = (
  text: string,
  allowed = ['docker.io/library'],
  requireDigest = false,
  args: [string, string][] = []
) =>
  checkPolicy(parseDockerfile(text), {
    allowedRegistries: allowed,
    requireDigest,
    buildArgs: new Map(args)
  }).map((f) => `${f.ruleId}:${f.location?.startLine} ${f.message}`)

describe('the # syntax= frontend', () => {
  it('is checked against the allowed registries, on its line', () => {
    expect(check('# syntax=ghcr.io/evil/frontend\nFROM busybox:1\n')).toEqual([
      'SI2001:1 Dockerfile frontend (# syntax=) ghcr.io/evil/frontend is not from an allowed registry (allowed: docker.io/library).'
    ])
  })

  it('names docker/dockerfile:1 as docker.io/docker/dockerfile, which an entry allows', () => {
    expect(check('# syntax=docker/dockerfile:1\nFROM busybox:1\n')).toEqual([
      'SI2001:1 Dockerfile frontend (# syntax=) docker.io/docker/dockerfile is not from an allowed registry (allowed: docker.io/library).'
    ])
    expect(
      check('# syntax=docker/dockerfile:1\nFROM busybox:1\n', [
        'docker.io/library',
        'docker.io/docker/dockerfile'
      ])
    ).toEqual([])
  })

  it('must be pinned by digest with require-digest', () => {
    const allowed = ['docker.io/library', 'docker.io/docker/dockerfile']
    const digest = 'sha256:' + 'a'.repeat(64)
    expect(check(`# syntax=docker/dockerfile:1\nFROM busybox@${digest}\n`, allowed, true)).toEqual([
      'SI2004:1 Dockerfile frontend (# syntax=) docker.io/docker/dockerfile:1 is not pinned by digest, and require-digest is on.'
    ])
    expect(check(`# syntax=docker/dockerfile:1@${digest}\nFROM busybox@${digest}\n`, allowed, true)).toEqual(
      []
    )
  })

  it('follows the BUILDKIT_SYNTAX build-arg, which overrides the directive', () => {
    expect(
      check('FROM busybox:1\n', ['docker.io/library'], false, [['BUILDKIT_SYNTAX', 'evil.io/fe:1']])
    ).toEqual([
      'SI2001:1 Dockerfile frontend (BUILDKIT_SYNTAX build-arg) evil.io/fe is not from an allowed registry (allowed: docker.io/library).'
    ])
  })

  it('reads parser directives only at the top, as BuildKit does', () => {
    expect(syntaxDirective('# escape=`\n#  SYNTAX = ghcr.io/x/y:1 \nFROM a\n')).toEqual({
      value: 'ghcr.io/x/y:1',
      line: 2
    })
    expect(syntaxDirective('\uFEFF# syntax=a/b\n')).toEqual({ value: 'a/b', line: 1 })
    expect(syntaxDirective('# a comment\n# syntax=a/b\nFROM x\n')).toBeUndefined()
    expect(syntaxDirective('\n# syntax=a/b\nFROM x\n')).toBeUndefined()
    expect(syntaxDirective('FROM x\n# syntax=a/b\n')).toBeUndefined()
  })
})
