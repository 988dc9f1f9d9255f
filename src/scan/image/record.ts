/**
 * What one layer leaves behind after it streamed past: the packages of the files analyzers asked for, the
 * release files, whiteouts, directory and setuid modes and the secrets found. Never the layer's content.
 */
import type { Sink, Visitor, EntryInfo, LayerStats } from './layer.js'
import { posix } from 'node:path'
import type { FileAnalyzer, RawPackage } from '../inventory/types.js'
import { GoBuildInfoSink } from '../inventory/go.js'
import { STREAM_ANALYZERS } from '../inventory/index.js'
import { isOsFile } from '../os.js'
import { findSecrets, isSecretCandidate, type SecretHit } from '../secrets.js'

export type OsFile = { text: string } | { link: string }

export interface LayerRecord {
  /** Files analyzers read, by path: the packages each yielded (empty when too big or unreadable). */
  files: Map<string, RawPackage[]>
  /** Why a file an analyzer matched yielded nothing, by path: too big, or unreadable (with the reader's error). */
  fileErrors: Map<string, { analyzer: string; reason: string }>
  /** What inside a streamed file could not be read (a nested archive), by the file's path. */
  innerSkips: Map<string, { path: string; reason: string }[]>
  /** Symlinks near the root (at most LINK_DEPTH components), to resolve database paths in the final view. */
  links: Map<string, string>
  /** Release files (or symlinks in their place), for OS detection. */
  osFiles: Map<string, OsFile>
  /** Paths deleted from lower layers (`.wh.<name>`). */
  whiteouts: Set<string>
  /** Directories whose lower contents are hidden (`.wh..wh..opq`). */
  opaque: Set<string>
  /** Directory modes, for the world-writable check. */
  dirs: Map<string, number>
  /** Files with the setuid or setgid bit. */
  setuid: Map<string, number>
  /**
   * Executable files without the setuid/setgid bits: a layer that has one where a lower layer had a setuid file
   * (a later `RUN chmod u-s …`) clears the bit in the final view.
   */
  plainExecs: Set<string>
  secrets: SecretHit[]
  /** Files in `files` that were not read, with the reason (over the size limit, unparseable, no reader). */
  stats?: LayerStats
}

/** Limits on what is recorded across the whole image, so that a hostile archive cannot exhaust memory. */
export interface Budget {
  maxFileBytes: number
  maxSecretFileBytes: number
  /** Recorded paths (files, whiteouts, directories, setuid files) across all layers. */
  maxRecords: number
  maxSecrets: number
  records: number
  secrets: number
  /** Executable files recorded (a count of their own, so they never crowd out package files). */
  maxExecs: number
  execs: number
  warnings: Set<string>
}

export function newBudget(maxFileBytes = 32 * 1024 * 1024): Budget {
  return {
    maxFileBytes,
    maxSecretFileBytes: Math.min(1024 * 1024, maxFileBytes),
    maxRecords: 500_000,
    maxSecrets: 1000,
    records: 0,
    secrets: 0,
    maxExecs: 500_000,
    execs: 0,
    warnings: new Set()
  }
}

export function emptyRecord(): LayerRecord {
  return {
    files: new Map(),
    fileErrors: new Map(),
    innerSkips: new Map(),
    links: new Map(),
    osFiles: new Map(),
    whiteouts: new Set(),
    opaque: new Set(),
    dirs: new Map(),
    setuid: new Map(),
    plainExecs: new Set(),
    secrets: []
  }
}

class BufferSink implements Sink {
  private chunks: Buffer[] = []
  private len = 0
  private dropped = false
  /** When the entry's size is known and allowed, one buffer of that size, filled in place (no second copy). */
  private whole: Buffer | undefined
  constructor(
    private readonly max: number,
    private readonly done: (data: Buffer | undefined) => void,
    private readonly textOnly = false,
    private readonly expected = 0
  ) {}
  write(chunk: Buffer): void {
    if (this.dropped) return
    if (this.len === 0) {
      if (this.textOnly && chunk.subarray(0, 8000).includes(0)) {
        this.dropped = true
        return
      }
      // Allocated at the first bytes, once a text-only sink knows it keeps them.
      if (this.expected > 0 && this.expected <= this.max) this.whole = Buffer.allocUnsafe(this.expected)
    }
    if (this.whole && this.len + chunk.length <= this.whole.length) {
      chunk.copy(this.whole, this.len)
      this.len += chunk.length
      return
    }
    if (this.whole) {
      // More bytes than the header said: fall back to collecting chunks.
      this.chunks.push(this.whole.subarray(0, this.len))
      this.whole = undefined
    }
    this.len += chunk.length
    if (this.len > this.max) {
      this.dropped = true
      this.chunks = []
      return
    }
    this.chunks.push(Buffer.from(chunk))
  }
  end(): void {
    let data: Buffer | undefined
    if (!this.dropped)
      data = this.whole ? this.whole.subarray(0, this.len) : Buffer.concat(this.chunks, this.len)
    this.chunks = []
    this.whole = undefined
    this.done(data)
  }
}

class FanOut implements Sink {
  constructor(private readonly sinks: Sink[]) {}
  write(chunk: Buffer): void {
    for (const s of this.sinks) s.write(chunk)
  }
  end(): void {
    for (const s of this.sinks) s.end()
  }
}

/** How deep a symlink may sit and still be recorded (`usr/lib/sysimage/rpm` has 4 components). */
export const LINK_DEPTH = 6

/** A visitor that fills `record` from one layer's entries. */
export function layerVisitor(record: LayerRecord, analyzers: FileAnalyzer[], budget: Budget): Visitor {
  const take = (what: string): boolean => {
    if (budget.records < budget.maxRecords) {
      budget.records++
      return true
    }
    budget.warnings.add(
      `more than ${budget.maxRecords} paths to record; ${what} beyond that were not recorded`
    )
    return false
  }
  return (e: EntryInfo): Sink | undefined => {
    const base = posix.basename(e.path)
    if (base.startsWith('.wh.')) {
      const dir = posix.dirname(e.path)
      if (base === '.wh..wh..opq') {
        if (take('opaque directories')) record.opaque.add(dir === '.' ? '' : dir)
      } else if (!base.startsWith('.wh..wh.')) {
        if (take('whiteouts')) record.whiteouts.add(dir === '.' ? base.slice(4) : `${dir}/${base.slice(4)}`)
      }
      return undefined
    }
    if (e.type === 'directory') {
      if (take('directories')) record.dirs.set(e.path, e.mode)
      return undefined
    }
    if (isOsFile(e.path) && e.type === 'symlink' && e.linkname) {
      record.osFiles.set(e.path, { link: e.linkname })
      return undefined
    }
    if (e.type === 'symlink' && e.linkname) {
      if (e.path.split('/').length <= LINK_DEPTH && take('symlinks')) record.links.set(e.path, e.linkname)
      return undefined
    }
    if (e.type !== 'file' && e.type !== 'contiguous-file') return undefined
    if (e.mode & 0o6000) {
      if (take('setuid files')) record.setuid.set(e.path, e.mode)
    } else if (e.mode & 0o111) {
      // Beyond the cap a cleared setuid bit goes unseen: the file is still reported (never the other way).
      if (budget.execs < budget.maxExecs) {
        budget.execs++
        record.plainExecs.add(e.path)
      }
    }

    const sinks: Sink[] = []
    if (isOsFile(e.path) && e.size <= 64 * 1024) {
      sinks.push(
        new BufferSink(
          64 * 1024,
          (d) => d && record.osFiles.set(e.path, { text: d.toString('utf8') }),
          false,
          e.size
        )
      )
    }
    for (const a of analyzers) {
      if (!a.match(e.path)) continue
      if (!take('package files')) break
      record.files.set(e.path, [])
      // A package database has its own limit: left unread, it would leave every OS package unchecked.
      const max = a.format ? a.maxBytes : Math.min(a.maxBytes, budget.maxFileBytes)
      if (e.size > max) {
        const reason = `larger than the ${max}-byte limit (${e.size} bytes); not read`
        record.fileErrors.set(e.path, { analyzer: a.id, reason })
        budget.warnings.add(
          `/${e.path} (${e.size} bytes) is larger than the ${max}-byte limit and was not read`
        )
        break
      }
      sinks.push(
        new BufferSink(
          max,
          (d) => {
            if (!d) return
            try {
              record.files.set(e.path, a.parse(e.path, d))
            } catch (err) {
              record.fileErrors.set(e.path, {
                analyzer: a.id,
                reason: `unreadable: ${(err as Error).message}`
              })
              budget.warnings.add(`/${e.path} could not be parsed by the ${a.id} reader`)
            }
          },
          false,
          e.size
        )
      )
      break
    }
    if (e.mode & 0o111 && e.size >= 1024) {
      sinks.push(
        new GoBuildInfoSink(e.path, (pkgs) => {
          if (take('Go binaries')) record.files.set(e.path, pkgs)
        })
      )
    }
    for (const a of STREAM_ANALYZERS) {
      if (!a.match(e.path, e.mode, e.size)) continue
      sinks.push(
        a.open(e.path, e.size, (r) => {
          if (r.packages.length === 0 && r.skipped.length === 0) return
          if (!record.files.has(e.path) && !take('streamed files')) return
          record.files.set(e.path, [...(record.files.get(e.path) ?? []), ...r.packages])
          if (r.skipped.length > 0) record.innerSkips.set(e.path, r.skipped.slice(0, 100))
        })
      )
    }
    if (budget.secrets < budget.maxSecrets && isSecretCandidate(e.path, e.size, budget.maxSecretFileBytes)) {
      sinks.push(
        new BufferSink(
          budget.maxSecretFileBytes,
          (d) => {
            if (!d) return
            for (const hit of findSecrets(e.path, d.toString('latin1'))) {
              if (budget.secrets++ < budget.maxSecrets) record.secrets.push(hit)
            }
          },
          true,
          e.size
        )
      )
    }
    if (sinks.length === 0) return undefined
    return sinks.length === 1 ? sinks[0] : new FanOut(sinks)
  }
}
