import { describe, it, expect } from '@jest/globals'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import { evaluateGate } from '../../src/findings.js'
import { checkPolicy } from '../../src/policy/check.js'

const DIGEST = 'sha256:' + 'a'.repeat(64)

function check(
  text: string,
  allowedRegistries: string[],
  requireDigest = false,
  buildArgs?: Record<string, string>
) {
  return checkPolicy(parseDockerfile(text, 'app/Dockerfile'), {
    allowedRegistries,
    requireDigest,
    buildArgs: buildArgs ? new Map(Object.entries(buildArgs)) : undefined
  })
}

describe('checkPolicy', () => {
  it('passes images from the allowed registries', () => {
    const df = 'FROM node:20 AS build\nFROM ghcr.io/acme/base:1\nCOPY --from=build /a /a\n'
    expect(check(df, ['docker.io/library', 'ghcr.io/acme'])).toEqual([])
  })

  it('reports an image outside the list as critical, at its line, with the normalized name and the list', () => {
    const df = 'FROM node:20\nCOPY --from=ghcr.io/evil/tools:1 /t /t\n'
    const findings = check(df, ['docker.io/library', 'ghcr.io/acme'])
    expect(findings).toEqual([
      {
        category: 'policy',
        ruleId: 'SI2001',
        severity: 'critical',
        message:
          'COPY --from image ghcr.io/evil/tools is not from an allowed registry (allowed: docker.io/library, ghcr.io/acme).',
        help: expect.stringContaining('allowed-registries'),
        location: { path: 'app/Dockerfile', startLine: 2, endLine: 2 }
      }
    ])
    expect(evaluateGate(findings, 'high').passed).toBe(false)
  })

  it('normalizes familiar names in the message', () => {
    const [f] = check('FROM acme/app:1\n', ['docker.io/library'])
    expect(f.message).toBe(
      'Base image docker.io/acme/app is not from an allowed registry (allowed: docker.io/library).'
    )
  })

  it('checks the image a build-arg selects, not the default', () => {
    const df = 'ARG BASE=node:20\nFROM ${BASE}\n'
    expect(check(df, ['docker.io/library'])).toEqual([])
    const [f] = check(df, ['docker.io/library'], false, { BASE: 'ghcr.io/evil/x' })
    expect(f).toMatchObject({ ruleId: 'SI2001', severity: 'critical', location: { startLine: 2 } })
    expect(f.message).toContain('ghcr.io/evil/x')
  })

  it('fails closed on an unresolvable variable', () => {
    const [f] = check('ARG BASE\nFROM ${BASE}\n', ['*'])
    expect(f).toMatchObject({ ruleId: 'SI2003', severity: 'critical', location: { startLine: 2 } })
    expect(f.message).toContain('$BASE')
    expect(f.help).toMatch(/build-args/)
  })

  it('fails closed on ONBUILD variables', () => {
    const [f] = check('FROM node:20\nONBUILD COPY --from=$IMG /a /a\n', ['*'])
    expect(f).toMatchObject({ ruleId: 'SI2003', severity: 'critical', location: { startLine: 2 } })
    expect(f.message).toMatch(/^ONBUILD COPY --from image/)
  })

  it('reports an invalid reference as critical, with the reason', () => {
    const [f] = check('ARG TAG=20\nFROM Node:${TAG}\n', ['*'])
    expect(f).toMatchObject({ ruleId: 'SI2002', severity: 'critical', location: { startLine: 2 } })
    expect(f.message).toContain('"Node:${TAG}" (expanded: "Node:20")')
    expect(f.message).toContain('must be lowercase')
  })

  it('with require-digest, reports an image without a digest as high', () => {
    const df = `FROM node:20@${DIGEST}\nRUN --mount=type=bind,from=node:20,target=/n ls\n`
    const findings = check(df, ['docker.io/library'], true)
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'SI2004',
        severity: 'high',
        message:
          'RUN --mount image docker.io/library/node:20 is not pinned by digest, and require-digest is on.',
        location: { path: 'app/Dockerfile', startLine: 2, endLine: 2 }
      })
    ])
    expect(check(df, ['docker.io/library'], false)).toEqual([])
  })

  it('reports both a disallowed and an unpinned image', () => {
    const ids = check('FROM quay.io/x/y:1\n', ['docker.io/library'], true).map((f) => f.ruleId)
    expect(ids).toEqual(['SI2001', 'SI2004'])
  })

  it('accepts raw list text and throws on a malformed entry', () => {
    expect(check('FROM ghcr.io/acme/x\n', ['ghcr.io/acme, quay.io'])).toEqual([])
    expect(() => check('FROM node\n', ['node'])).toThrow('allowed-registries entry "node"')
  })

  it('allows nothing with an empty list', () => {
    expect(check('FROM node:20\n', [])[0].message).toContain('(allowed: none)')
  })

  it('has nothing to check in a FROM scratch Dockerfile', () => {
    expect(check('FROM scratch\nCOPY app /app\n', [])).toEqual([])
  })
})
