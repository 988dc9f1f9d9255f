import type { Instruction } from '../../dockerfile/parse.js'
import { argsNoFlags, hcommands, type HCommand } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/** hadolint's archive suffixes (case-sensitive; `.zip` is not among them). */
const ARCHIVE = [
  '.tar',
  '.Z',
  '.bz2',
  '.gz',
  '.lz',
  '.lzma',
  '.tZ',
  '.tb2',
  '.tbz',
  '.tbz2',
  '.tgz',
  '.tlz',
  '.tpz',
  '.txz',
  '.xz'
]
const UNPACKERS = ['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat']

const unquote = (s: string): string => s.replace(/^["']+|["']+$/g, '')

/** The last part of a path, split at `/` or `\` (Windows paths). */
function basename(p: string): string {
  const s = unquote(p)
  return s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1)
}

const isArchive = (p: string): boolean => ARCHIVE.some((e) => unquote(p).endsWith(e))

function extracts(c: HCommand, name: string): boolean {
  const tar =
    c.name === 'tar' &&
    c.args.some((a) => a === '--extract' || a === '--get' || (a.startsWith('-') && a.includes('x')))
  if (!tar && !UNPACKERS.includes(c.name)) return false
  return argsNoFlags(c).some((a) => basename(a) === name)
}

/**
 * As hadolint: an archive that a COPY (not `--from`) brings in, and a later RUN of the same stage extracts
 * (`tar` with `-x…`/`--extract`/`--get`, or `unzip`, `gunzip`, `unxz`, `zcat`…, naming the archive's file name),
 * should be added with ADD. A COPY to a target that is itself an archive name counts that name; otherwise each
 * archive source counts. Paths split at `/` and `\`.
 */
export const DL3010: Rule = {
  id: 'DL3010',
  severity: 'info',
  message: 'Use ADD for extracting archives into an image.',
  help: 'ADD extracts a local tar archive in one step; `ADD app.tar.gz /app/` replaces COPY + `tar -x` + rm.',
  check(ctx) {
    const flagged = new Set<Instruction>()
    for (const st of ctx.model.stages) {
      const archives: { copy: Instruction; name: string }[] = []
      for (const ins of st.instructions) {
        if (ins.keyword === 'COPY' && !ins.flags.some((f) => f.name === 'from')) {
          const words = ins.json ?? ins.argv
          const target = words[words.length - 1] ?? ''
          const names = isArchive(target)
            ? [basename(target)]
            : words.slice(0, -1).filter(isArchive).map(basename)
          for (const name of names) archives.push({ copy: ins, name })
        } else if (ins.keyword === 'RUN' && archives.length > 0) {
          const cmds = hcommands(ctx.shell(ins), ['tar', ...UNPACKERS])
          for (const a of archives) if (cmds.some((c) => extracts(c, a.name))) flagged.add(a.copy)
        }
      }
    }
    const out: Violation[] = [...flagged].map((c) => at(c))
    return out.sort((a, b) => a.line - b.line)
  }
}
