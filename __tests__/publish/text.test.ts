import { describe, it, expect } from '@jest/globals'
import { colorWanted, renderText } from '../../src/publish/text.js'
import { lint, report, vuln } from './make.js'

const r = report([
  lint(9, {
    ruleId: 'DL3006',
    severity: 'low',
    message: 'Always tag the version of an image explicitly.',
    help: undefined
  }),
  lint(3),
  vuln('CVE-2024-1', { severity: 'critical', location: { path: 'app/Dockerfile', startLine: 2 } }),
  lint(3, { ruleId: 'DL3015', severity: 'info', message: 'Avoid additional packages.', help: undefined }),
  {
    category: 'secret',
    ruleId: 'SI3001',
    severity: 'high',
    message: 'AWS key\x1b]0;pwned\x07 in image',
    imagePath: '/app/.env'
  },
  lint(5, { suppressed: { source: 'pragma', reason: 'needed' } })
])

describe('renderText', () => {
  it('groups by file, then line, with image findings after and ignored last', () => {
    const text = renderText(r)
    expect(text.split('\n')).toEqual([
      'Dockerfile',
      '      3  medium    DL3008      Pin versions in apt get install.',
      '                               Fix: Use `apt-get install <package>=<version>`.',
      '      3  info      DL3015      Avoid additional packages.',
      '      9  low       DL3006      Always tag the version of an image explicitly.',
      '',
      'app/Dockerfile',
      '      2  critical  CVE-2024-1  libfoo 1.0-1: CVE-2024-1 affects libfoo.',
      '                               Fix: upgrade libfoo to 1.0-2 or later.',
      '',
      'Image (no Dockerfile line)',
      '      -  high      SI3001      AWS key]0;pwned in image',
      '                               In the image at /app/.env.',
      '',
      'Ignored (1)',
      '  Dockerfile:5  medium  DL3008  Pin versions in apt get install.  [pragma: needed]',
      '',
      '5 findings: 1 critical, 1 high, 1 medium, 1 low, 1 info (1 ignored)',
      'Gate failed: 2 at or above the threshold (high).',
      ''
    ])
  })

  it('has no escape sequences without colour, and colours severities with it', () => {
    expect(renderText(r).includes('\x1b')).toBe(false)
    const coloured = renderText(r, { color: true })
    expect(coloured).toContain('\x1b[1;31mcritical')
    expect(coloured).toContain('\x1b[1mDockerfile\x1b[0m')
    // The finding's own escape sequence is gone even with colour on.
    expect(coloured).not.toContain('\x1b]0;')
  })
})

describe('colorWanted', () => {
  it('follows the TTY, NO_COLOR, FORCE_COLOR and TERM=dumb', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true)
    expect(colorWanted({ isTTY: false }, {})).toBe(false)
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
    expect(colorWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true)
  })
})
