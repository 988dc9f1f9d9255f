/** Build-argument values in `created_by`, in the forms both builders write (taken from engine 20.10 history). */
import { describe, it, expect } from '@jest/globals'
import { redactCreatedBy, redactHistory } from '../../../src/scan/image/history.js'

describe('redactCreatedBy', () => {
  it('redacts every argument of the BuildKit and classic |N lists, keeping the command', () => {
    expect(
      redactCreatedBy(
        'RUN |3 NPM_TOKEN=npm_SUPERSECRET123 OTHER=dflt SPACED=a b c /bin/sh -c echo hi > /x # buildkit',
        { NPM_TOKEN: 'npm_SUPERSECRET123', SPACED: 'a b c' }
      )
    ).toBe(
      'RUN |3 NPM_TOKEN=<redacted> OTHER=<redacted> SPACED=<redacted> /bin/sh -c echo hi > /x # buildkit'
    )
    expect(
      redactCreatedBy('|2 MODE=a b NPM_TOKEN=abc /bin/sh -c mkdir -p /app', { MODE: 'a b', NPM_TOKEN: 'abc' })
    ).toBe('|2 MODE=<redacted> NPM_TOKEN=<redacted> /bin/sh -c mkdir -p /app')
  })

  it('without the values, redacts a spaced value up to the next KEY= and the last one to the next space', () => {
    expect(redactCreatedBy('|2 A=x y B=secret /bin/sh -c true')).toBe(
      '|2 A=<redacted> B=<redacted> /bin/sh -c true'
    )
  })

  it('redacts a known value wherever else the builder expanded it, and leaves other history alone', () => {
    expect(redactCreatedBy('ENV E=npm_SUPERSECRET123', { NPM_TOKEN: 'npm_SUPERSECRET123' })).toBe(
      'ENV E=<redacted>'
    )
    expect(redactCreatedBy('/bin/sh -c #(nop)  USER 10001', { A: '1' })).toBe('/bin/sh -c #(nop)  USER 10001')
    expect(redactHistory([{ empty_layer: true }, { created_by: '|1 T=v /bin/sh -c x' }])).toEqual([
      { empty_layer: true },
      { created_by: '|1 T=<redacted> /bin/sh -c x' }
    ])
  })
})
