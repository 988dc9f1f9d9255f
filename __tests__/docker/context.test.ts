/**
 * The build context against what `docker build` really sends: each case is built with `COPY . /ctx` through
 * our build (classic and BuildKit) and through the docker CLI's own legacy builder, and the files in /ctx are
 * compared with hand-written expectations and with listContextFiles.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { extract } from 'tar-stream'
import { listContextFiles, contextTarStream } from '../../src/docker/context.js'
import { createEngine } from '../../src/docker/engine.js'
import { docker, testEnv, uniqueName, untag } from '../helpers/testenv.js'
import { buildOptions } from '../helpers/build.js'

const engine = createEngine()
const made: string[] = []
const dirs: string[] = []

beforeAll(() => {
  testEnv()
})
afterAll(async () => {
  untag(...made)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'si-ctx-'))
  dirs.push(root)
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true })
    writeFileSync(join(root, p), content)
  }
  return root
}

const COPY_ALL = 'FROM busybox:stable\nCOPY . /ctx\n'

function listCtx(image: string): string[] {
  const out = docker(['run', '--rm', image, 'sh', '-c', 'cd /ctx && find . -type f -o -type l'])
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\.\//, ''))
    .sort()
}

async function ourBuild(
  contextDir: string,
  dockerfile: string,
  builder: 'classic' | 'buildkit'
): Promise<string[]> {
  const tag = `${uniqueName('si-ctx')}:${builder}`
  made.push(tag)
  await engine.build(buildOptions(contextDir, tag, { dockerfile, builder }), () => {})
  return listCtx(tag)
}

/** The docker CLI's legacy builder: the reference for what `docker build` sends. */
function cliBuild(contextDir: string, dockerfile: string): string[] {
  const tag = `${uniqueName('si-ctx-cli')}:ref`
  made.push(tag)
  execFileSync('docker', ['build', '-q', '-t', tag, '-f', dockerfile, contextDir], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return listCtx(tag)
}

interface Case {
  name: string
  files: Record<string, string>
  /** Dockerfile path relative to the context (default `Dockerfile`). */
  dockerfile?: string
  expected: string[]
  /** The docker CLI's legacy builder does not know `<Dockerfile>.dockerignore`. */
  noCli?: boolean
}

const cases: Case[] = [
  {
    name: '** patterns reach every depth',
    files: {
      Dockerfile: COPY_ALL,
      '.dockerignore': '**/*.log\n**/tmp\n',
      'a.log': '1',
      'src/b.log': '2',
      'src/deep/er/c.log': '3',
      'src/main.c': 'int main;',
      'src/tmp/x': 'x',
      'tmp/y': 'y',
      'keep.txt': 'k'
    },
    expected: ['.dockerignore', 'Dockerfile', 'keep.txt', 'src/main.c']
  },
  {
    name: '! exceptions re-include files, also below an ignored directory',
    files: {
      Dockerfile: COPY_ALL,
      '.dockerignore': '*.md\n!README.md\ndocs\n!docs/keep.txt\n',
      'README.md': 'r',
      'CHANGES.md': 'c',
      'docs/keep.txt': 'k',
      'docs/drop.txt': 'd',
      'docs/sub/drop2.txt': 'd'
    },
    expected: ['.dockerignore', 'Dockerfile', 'README.md', 'docs/keep.txt']
  },
  {
    name: 'patterns are anchored at the context root',
    files: {
      Dockerfile: COPY_ALL,
      '.dockerignore': '/secret.txt\n*.md\nnode_modules\n',
      'secret.txt': 's',
      'sub/secret.txt': 's2',
      'top.md': 't',
      'sub/nested.md': 'n',
      'node_modules/a/index.js': 'a',
      'app/node_modules/b/index.js': 'b'
    },
    expected: [
      '.dockerignore',
      'Dockerfile',
      'app/node_modules/b/index.js',
      'sub/nested.md',
      'sub/secret.txt'
    ]
  },
  {
    name: 'nested node_modules with **/node_modules',
    files: {
      Dockerfile: COPY_ALL,
      '.dockerignore': '**/node_modules\n.git\n',
      'node_modules/a/index.js': 'a',
      'app/node_modules/b/index.js': 'b',
      'app/web/node_modules/c/index.js': 'c',
      'app/index.js': 'i',
      '.git/HEAD': 'ref'
    },
    expected: ['.dockerignore', 'Dockerfile', 'app/index.js']
  },
  {
    name: 'an ignored Dockerfile and a self-ignoring .dockerignore are not seen by COPY',
    files: {
      Dockerfile: COPY_ALL,
      '.dockerignore': 'Dockerfile\n.dockerignore\n*.tmp\n',
      'x.tmp': 't',
      'app.txt': 'a'
    },
    expected: ['app.txt']
  },
  {
    name: 'a custom Dockerfile uses its own <Dockerfile>.dockerignore',
    files: {
      'build/app.Dockerfile': COPY_ALL,
      'build/app.Dockerfile.dockerignore': 'secret\n',
      '.dockerignore': 'public\n',
      'secret/key': 'k',
      'public/index.html': 'p'
    },
    dockerfile: 'build/app.Dockerfile',
    expected: [
      '.dockerignore',
      'build/app.Dockerfile',
      'build/app.Dockerfile.dockerignore',
      'public/index.html'
    ],
    noCli: true
  }
]

describe('listContextFiles and the built context', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const root = tree(c.files)
      const df = join(root, c.dockerfile ?? 'Dockerfile')
      expect(await listContextFiles(root, df)).toEqual(c.expected)
      expect(await ourBuild(root, df, 'classic')).toEqual(c.expected)
      if (!c.noCli) expect(cliBuild(root, df)).toEqual(c.expected)
    })
  }

  it('BuildKit sees the same files when the Dockerfile is part of the context', async () => {
    const c = cases[2]
    const root = tree(c.files)
    expect(await ourBuild(root, join(root, 'Dockerfile'), 'buildkit')).toEqual(c.expected)
  })

  it('sends a Dockerfile from outside the context under a generated name that classic COPY does not see', async () => {
    const root = tree({ '.dockerignore': 'junk\n', 'app/main.py': 'print(1)', 'junk/x': 'x' })
    const outside = tree({ 'ci/Dockerfile': COPY_ALL })
    const df = join(outside, 'ci/Dockerfile')
    const expected = ['.dockerignore', 'app/main.py']
    expect(await listContextFiles(root, df)).toEqual(expected)
    expect(await ourBuild(root, df, 'classic')).toEqual(expected)
    expect(cliBuild(root, df)).toEqual(expected)
    // BuildKit through the Engine API does not apply .dockerignore to an uploaded tar: the generated name shows.
    const bk = await ourBuild(root, df, 'buildkit')
    expect(bk.filter((f) => !/^\.dockerfile\.[0-9a-f]{20}$/.test(f))).toEqual(expected)
    expect(bk).toHaveLength(expected.length + 1)
  })

  it('packs symlinks as links, keeps modes, and names the Dockerfile', async () => {
    const root = tree({ Dockerfile: COPY_ALL, 'bin/run.sh': '#!/bin/sh\necho hi\n' })
    execFileSync('chmod', ['755', join(root, 'bin/run.sh')])
    symlinkSync('bin/run.sh', join(root, 'run'))
    const { stream, dockerfileName } = await contextTarStream(root, join(root, 'Dockerfile'))
    expect(dockerfileName).toBe('Dockerfile')
    const seen: Record<string, { type: string; mode: number; linkname?: string | null; uid?: number }> = {}
    await new Promise<void>((resolve, reject) => {
      const ex = extract()
      ex.on('entry', (h, s, next) => {
        seen[h.name] = { type: h.type ?? '', mode: (h.mode ?? 0) & 0o777, linkname: h.linkname, uid: h.uid }
        s.on('end', next)
        s.resume()
      })
      ex.on('finish', resolve)
      ex.on('error', reject)
      ;(stream as NodeJS.ReadableStream).pipe(ex)
    })
    expect(seen['bin/run.sh']).toEqual({ type: 'file', mode: 0o755, linkname: null, uid: 0 })
    expect(seen.run.type).toBe('symlink')
    expect(seen.run.linkname).toBe('bin/run.sh')
    expect(seen.bin.type).toBe('directory')
  })

  it('refuses a missing Dockerfile or context with the path in the message', async () => {
    const root = tree({ 'a.txt': 'a' })
    await expect(listContextFiles(root, join(root, 'Nope'))).rejects.toThrow(
      /the Dockerfile .*Nope cannot be read/
    )
    await expect(listContextFiles(join(root, 'missing'), 'Dockerfile')).rejects.toThrow(
      /build context .*missing/
    )
  })
})

describe('large contexts', () => {
  it('lists and streams 50,000 files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'si-ctx-big-'))
    dirs.push(root)
    writeFileSync(join(root, 'Dockerfile'), COPY_ALL)
    writeFileSync(join(root, '.dockerignore'), 'd0/**/*.skip\n')
    for (let d = 0; d < 50; d++) {
      mkdirSync(join(root, `d${d}`))
      for (let f = 0; f < 1000; f++)
        writeFileSync(join(root, `d${d}`, `f${f}${d === 0 && f < 100 ? '.skip' : ''}`), 'x')
    }
    let t = Date.now()
    const files = await listContextFiles(root, join(root, 'Dockerfile'))
    const listMs = Date.now() - t
    expect(files).toHaveLength(50000 - 100 + 2)
    t = Date.now()
    const { stream } = await contextTarStream(root, join(root, 'Dockerfile'))
    let entries = 0
    await new Promise<void>((resolve, reject) => {
      const ex = extract()
      ex.on('entry', (h, s, next) => {
        if (h.type === 'file') entries++
        s.on('end', next)
        s.resume()
      })
      ex.on('finish', resolve)
      ex.on('error', reject)
      ;(stream as NodeJS.ReadableStream).pipe(ex)
    })
    const tarMs = Date.now() - t
    expect(entries).toBe(files.length)
    process.stdout.write(`50,000-file context: list ${listMs} ms, tar ${tarMs} ms\n`)
  }, 600_000)

  it('streams a 1 GiB file without holding it in memory', async () => {
    const root = tree({ Dockerfile: COPY_ALL })
    writeFileSync(join(root, 'big.bin'), '')
    truncateSync(join(root, 'big.bin'), 1024 * 1024 * 1024) // sparse: no disk used
    const before = process.memoryUsage().rss
    let peak = before
    const { stream } = await contextTarStream(root, join(root, 'Dockerfile'))
    let bytes = 0
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (c: Buffer) => {
        bytes += c.length
        peak = Math.max(peak, process.memoryUsage().rss)
      })
      stream.on('end', resolve)
      stream.on('error', reject)
    })
    expect(bytes).toBeGreaterThan(1024 * 1024 * 1024)
    expect(peak - before).toBeLessThan(200 * 1024 * 1024)
  }, 120000)
})
