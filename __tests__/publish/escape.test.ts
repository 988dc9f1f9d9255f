import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import {
  codeSpan,
  escapeCommandData,
  escapeCommandProperty,
  escapeHtmlComment,
  escapeMarkdown,
  stripControl,
  workflowCommand
} from '../../src/publish/escape.js'
import { HOSTILE } from './make.js'

/** What the runner does with an escaped command value (actions/runner ActionCommand.Unescape). */
function unescapeCommand(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%')
}

describe('escapeMarkdown', () => {
  it('neutralises mentions, HTML, links, code and table pipes', () => {
    const md = escapeMarkdown(HOSTILE)
    expect(md).not.toMatch(/@org/)
    expect(md).toContain('@\u200borg/team')
    expect(md).not.toContain('<img')
    expect(md).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;')
    expect(md).not.toMatch(/\[click\]\(/)
    expect(md).not.toContain('https://')
    expect(md).not.toMatch(/(^|[^\\])`/)
    expect(md).not.toMatch(/(^|[^\\])\|/)
    expect(md).not.toMatch(/[\r\n]/)
  })

  it('breaks issue references, www autolinks and e-mail addresses', () => {
    expect(escapeMarkdown('see #123 and GH-45')).toBe('see \\#\u200b123 and GH-\u200b45')
    expect(escapeMarkdown('www.evil.example')).toBe('www\u200b.evil.example')
    expect(escapeMarkdown('a@b.example')).toBe('a@\u200bb.example')
  })

  it('leaves plain text readable', () => {
    expect(escapeMarkdown('Pin versions in apt get install.')).toBe('Pin versions in apt get install.')
  })

  it('never lets a tag, a newline or an unescaped pipe through (any input)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const md = escapeMarkdown(s)
        return !/[<>\r\n]/.test(md) && !/(^|[^\\])\|/.test(md) && !/@[^\u200b]/.test(md) && !/@$/.test(md)
      })
    )
  })
})

describe('codeSpan', () => {
  it('fences backticks with a longer run and escapes pipes', () => {
    expect(codeSpan('a`b')).toBe('``a`b``')
    expect(codeSpan('`x`')).toBe('`` `x` ``')
    expect(codeSpan('a|b')).toBe('`a\\|b`')
    expect(codeSpan('@org/team')).toBe('`@org/team`')
  })
})

describe('escapeHtmlComment', () => {
  it('cannot close the comment', () => {
    expect(escapeHtmlComment('evil --> <b>x</b>')).not.toMatch(/[<>]/)
    expect(escapeHtmlComment('ghcr.io/octo/app')).toBe('ghcr.io/octo/app')
  })
})

describe('stripControl', () => {
  it('removes terminal escapes and NUL but keeps line breaks and tabs', () => {
    expect(stripControl('a\x1b[31mb\x00c\x9bd\te\nf')).toBe('a[31mbcd\te\nf')
  })
})

describe('workflow commands', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(escapeCommandData('100%\r\n::x')).toBe('100%25%0D%0A::x')
    expect(escapeCommandProperty('a:b,c%')).toBe('a%3Ab%2Cc%25')
  })

  it('keeps a hostile message on one line, so ::set-output cannot start a command', () => {
    const line = workflowCommand('error', { file: 'Dockerfile', line: 3, title: 'x,y::z' }, HOSTILE)
    expect(line.split(/\r|\n/)).toHaveLength(1)
    expect(line.startsWith('::error file=Dockerfile,line=3,title=x%2Cy%3A%3Az::')).toBe(true)
    // The first `::` after the command name is the separator: the title's `::` was escaped.
    expect(line.indexOf('::', 2)).toBe('::error file=Dockerfile,line=3,title=x%2Cy%3A%3Az'.length)
    const message = line.slice(line.indexOf('::', 2) + 2)
    expect(unescapeCommand(message)).toBe(HOSTILE)
  })

  it('round-trips any message and property through the runner unescaping, on one line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (msg, title) => {
        const line = workflowCommand('warning', { title }, msg)
        if (/[\r\n]/.test(line)) return false
        const m = /^::warning(?: title=([^:]*))?::(.*)$/s.exec(line)
        if (!m) return false
        return unescapeCommand(m[2]) === msg && unescapeCommand(m[1] ?? '') === title
      })
    )
  })
})
