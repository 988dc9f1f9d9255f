/**
 * Escaping of text that comes from images, advisories and Dockerfiles before it is written where GitHub
 * interprets it: Markdown (PR comment, job summary, check-run summary) and workflow commands (stdout).
 */

const ZWSP = '\u200b'

/** Characters that CommonMark lets a backslash escape and that could start formatting, links or HTML. */
const MD_PUNCT = /[\\`*_{}[\]()#+!|~]/g

/**
 * Escapes untrusted text for inline Markdown (table cells, list items, headings): the result renders as the
 * literal text and can trigger nothing. HTML is turned into entities, Markdown punctuation is backslash-escaped,
 * `@mentions`, `#123` references, autolinks (`https://…`, `www.…`, e-mail) are broken with a zero-width space,
 * and line breaks become spaces so a table row stays one row.
 */
export function escapeMarkdown(text: string): string {
  return (
    stripControl(text)
      .replace(/\r\n|\r|\n/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(MD_PUNCT, (c) => `\\${c}`)
      // @mentions and team mentions (and e-mail autolinks).
      .replace(/@/g, `@${ZWSP}`)
      // Issue and PR references (#123, GH-123).
      .replace(/#(?=\d)/g, `#${ZWSP}`)
      .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWSP}`)
      // URL autolinks: scheme:// and www.
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`)
  )
}

/**
 * Wraps untrusted text in a Markdown code span: shown verbatim, no mentions, links or HTML. Backticks inside
 * are handled with a longer fence, and `|` is escaped so the span can sit in a table cell.
 */
export function codeSpan(text: string): string {
  const clean = stripControl(text).replace(/\r\n|\r|\n/g, ' ')
  if (clean === '') return '` `'
  let longest = 0
  for (const m of clean.matchAll(/`+/g)) longest = Math.max(longest, m[0].length)
  const fence = '`'.repeat(longest + 1)
  const pad = clean.startsWith('`') || clean.endsWith('`') || /^ .* $/.test(clean) ? ' ' : ''
  return `${fence}${pad}${clean.replace(/\|/g, '\\|')}${pad}${fence}`
}

/** Text safe inside an HTML comment (`<!-- … -->`): it cannot close the comment. */
export function escapeHtmlComment(text: string): string {
  return text.replace(/[<>%\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
}

/** Removes C0/C1 control characters (terminal escapes, NUL) except tab and line breaks. */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
}

/** Cuts text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, Math.max(0, max - 1))}…`
}

/** Escapes a workflow-command message: `%`, CR and LF, so the command stays on one line. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escapes a workflow-command property value: as a message, plus `:` and `,` which end properties. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export type CommandProperties = Record<string, string | number | undefined>

/**
 * One workflow command line, e.g. `::error file=Dockerfile,line=3,title=DL3008::message`. Every property and
 * the message are escaped, so text from a finding cannot end the command early or start another one.
 */
export function workflowCommand(command: string, properties: CommandProperties, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${k}=${escapeCommandProperty(String(v))}`)
    .join(',')
  return `::${command}${props ? ` ${props}` : ''}::${escapeCommandData(message)}`
}
