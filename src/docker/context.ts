/**
 * The build context: which files a build sends, and the streamed tar the engine receives.
 *
 * Files are filtered with Docker's `.dockerignore` semantics (@balena/dockerignore on posix relative paths:
 * `**`, `!` exceptions, root-anchored patterns). A `<Dockerfile>.dockerignore` beside the Dockerfile takes
 * precedence over the context's `.dockerignore`, as BuildKit does. The Dockerfile is always sent: when it lies
 * outside the context, or the ignore file excludes it, it is added under a generated name and that name is
 * appended to the `.dockerignore` inside the tar, exactly as the docker CLI does, so the classic builder drops
 * it from what `COPY` sees. The tar is written entry by entry while the context is walked; no file is ever held
 * in memory whole.
 */
import { createReadStream, lstatSync, readFileSync } from 'node:fs'
import { opendir, readFile, readlink, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import dockerignore from '@balena/dockerignore'
import { pack, type Header, type Pack } from 'tar-stream'

type Headers = Partial<Header> & { name: string }

// A CommonJS module whose `default` is the factory itself.
const ignore = dockerignore.default

/** Files up to this size are read in one call; larger ones are streamed. */
const SMALL_FILE = 256 * 1024

interface ContextPlan {
  root: string
  /** Absolute path of the Dockerfile. */
  dockerfilePath: string
  /** The Dockerfile's path relative to the context, posix; undefined when it is outside the context. */
  dockerfileRel?: string
  patterns: string
  /** Where the patterns came from (absolute path), if any. */
  ignoreFile?: string
  isIgnored: (rel: string) => boolean
  hasExceptions: boolean
}

interface Entry {
  rel: string
  abs: string
  type: 'file' | 'directory' | 'symlink'
}

async function plan(contextDir: string, dockerfile: string): Promise<ContextPlan> {
  const root = resolve(contextDir)
  let st
  try {
    st = await stat(root)
  } catch (e) {
    throw new Error(`the build context ${contextDir} cannot be read: ${(e as Error).message}`, { cause: e })
  }
  if (!st.isDirectory()) throw new Error(`the build context ${contextDir} is not a directory`)
  const dockerfilePath = isAbsolute(dockerfile) ? dockerfile : resolve(root, dockerfile)
  try {
    const dst = await stat(dockerfilePath)
    if (!dst.isFile()) throw new Error('not a regular file')
  } catch (e) {
    throw new Error(`the Dockerfile ${dockerfile} cannot be read: ${(e as Error).message}`, { cause: e })
  }
  const relFromRoot = relative(root, dockerfilePath)
  const inside = relFromRoot !== '' && !relFromRoot.startsWith('..') && !isAbsolute(relFromRoot)
  const dockerfileRel = inside ? relFromRoot.split(sep).join('/') : undefined

  // `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's `.dockerignore`.
  const candidates = [
    join(dirname(dockerfilePath), `${basename(dockerfilePath)}.dockerignore`),
    join(root, '.dockerignore')
  ]
  let patterns = ''
  let ignoreFile: string | undefined
  for (const c of candidates) {
    try {
      patterns = await readFile(c, 'utf8')
      ignoreFile = c
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`the ignore file ${c} cannot be read: ${(e as Error).message}`, { cause: e })
      }
    }
  }
  const ig = ignore({ ignorecase: false }).add(patterns)
  const hasExceptions = patterns.split(/\r?\n/).some((l) => l.trim().startsWith('!'))
  return {
    root,
    dockerfilePath,
    dockerfileRel,
    patterns,
    ignoreFile,
    isIgnored: (rel) => ig.ignores(rel),
    hasExceptions
  }
}

/**
 * Walks the context in sorted order, yielding what survives the ignore patterns. An ignored directory is
 * skipped whole unless the patterns have `!` exceptions, which may re-include something below it.
 */
async function* walk(p: ContextPlan, dirAbs: string = p.root, dirRel = ''): AsyncGenerator<Entry> {
  let dir
  try {
    dir = await opendir(dirAbs)
  } catch (e) {
    throw new Error(`cannot read ${dirRel || '.'} in the build context: ${(e as Error).message}`, {
      cause: e
    })
  }
  const names: { name: string; kind: Entry['type'] | 'other' }[] = []
  for await (const d of dir) {
    const kind = d.isDirectory()
      ? 'directory'
      : d.isFile()
        ? 'file'
        : d.isSymbolicLink()
          ? 'symlink'
          : 'other'
    names.push({ name: d.name, kind })
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const { name, kind } of names) {
    if (kind === 'other') continue // sockets, fifos and devices are not sent, as docker does not send them
    const rel = dirRel ? `${dirRel}/${name}` : name
    const abs = join(dirAbs, name)
    const ignored = p.isIgnored(rel)
    if (kind === 'directory') {
      if (!ignored) yield { rel, abs, type: 'directory' }
      if (!ignored || p.hasExceptions) yield* walk(p, abs, rel)
    } else if (!ignored) {
      yield { rel, abs, type: kind }
    }
  }
}

/**
 * The posix relative paths of the files (and symlinks) that a build of `contextDir` with `dockerfile` sends
 * and that `COPY . /dest` sees, sorted. Directories are not listed. A Dockerfile outside the context, or one
 * the ignore file excludes, is not listed: it is sent under a generated name that the build hides.
 */
export async function listContextFiles(contextDir: string, dockerfile: string): Promise<string[]> {
  const p = await plan(contextDir, dockerfile)
  const out: string[] = []
  for await (const e of walk(p)) if (e.type !== 'directory') out.push(e.rel)
  return out
}

function writeEntry(tar: Pack, header: Headers, body?: Readable | Buffer): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (body === undefined || Buffer.isBuffer(body)) {
      tar.entry(header as Header, body ?? '', (err) => (err ? reject(err) : resolvePromise()))
      return
    }
    const sink = tar.entry(header as Header, (err) => (err ? reject(err) : resolvePromise()))
    body.on('error', (err) => {
      reject(err)
      sink.destroy(err)
    })
    body.pipe(sink)
  })
}

/**
 * Streams the build context as a tar. `dockerfileName` is the Dockerfile's name inside the tar, to pass to
 * the engine as the build's `dockerfile`.
 */
export async function contextTarStream(
  contextDir: string,
  dockerfile: string
): Promise<{ stream: NodeJS.ReadableStream; dockerfileName: string }> {
  const p = await plan(contextDir, dockerfile)
  const hidden = p.dockerfileRel === undefined || p.isIgnored(p.dockerfileRel)
  const dockerfileName = hidden
    ? `.dockerfile.${randomBytes(10).toString('hex')}`
    : (p.dockerfileRel as string)
  const tar = pack()
  const mtime = new Date()

  const produce = async (): Promise<void> => {
    let sawDockerignore = false
    for await (const e of walk(p)) {
      // Synchronous stat and small reads: each takes microseconds, where the async forms cost a thread-pool
      // round trip per call (tens of seconds over 50,000 files).
      const st = lstatSync(e.abs)
      const base: Headers = {
        name: e.rel,
        mode: st.mode & 0o7777,
        mtime: st.mtime,
        uid: 0,
        gid: 0,
        uname: '',
        gname: ''
      }
      if (e.type === 'directory') {
        await writeEntry(tar, { ...base, type: 'directory' })
      } else if (e.type === 'symlink') {
        await writeEntry(tar, { ...base, type: 'symlink', linkname: await readlink(e.abs) })
      } else if (hidden && e.rel === '.dockerignore') {
        // Docker appends the generated Dockerfile name to the context's own .dockerignore.
        sawDockerignore = true
        const content = Buffer.from(`${await readFile(e.abs, 'utf8')}\n${dockerfileName}\n`)
        await writeEntry(tar, { ...base, type: 'file', size: content.length }, content)
      } else if (st.size <= SMALL_FILE) {
        // Small files are read whole (one at a time): far cheaper than a stream per file.
        const content = readFileSync(e.abs)
        await writeEntry(tar, { ...base, type: 'file', size: content.length }, content)
      } else {
        await writeEntry(tar, { ...base, type: 'file', size: st.size }, createReadStream(e.abs))
      }
    }
    if (hidden) {
      const df = await stat(p.dockerfilePath)
      await writeEntry(
        tar,
        { name: dockerfileName, mode: 0o600, mtime, size: df.size, type: 'file', uid: 0, gid: 0 },
        createReadStream(p.dockerfilePath)
      )
      if (!sawDockerignore) {
        const content = Buffer.from(`.dockerignore\n${p.patterns}\n${dockerfileName}\n`)
        await writeEntry(
          tar,
          { name: '.dockerignore', mode: 0o644, mtime, size: content.length, type: 'file', uid: 0, gid: 0 },
          content
        )
      }
    }
    tar.finalize()
  }
  produce().catch((err: Error) => tar.destroy(new Error(`packing the build context failed: ${err.message}`)))
  return { stream: tar as unknown as NodeJS.ReadableStream, dockerfileName }
}
