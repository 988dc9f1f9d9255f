// Benchmark of the image scan: scan time ÷ the engine's own export time (GET /images/{name}/get to
// /dev/null) for the same image, and the peak RSS of the scanning process, for debian:bookworm and
// for a generated image of about 2 GB (made here FROM debian:bookworm with random files, removed afterwards).
//
//   node --import tsx bench/scan.mjs   (SI_BENCH_BIG_MB=2048 sets the generated image's size,
//                                       SI_BENCH_RUNS=2 the number of runs, the best of which is shown)
import Docker from 'dockerode'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { pipeline } from 'node:stream/promises'

const engine = new Docker()
const BIG_MB = Number(process.env.SI_BENCH_BIG_MB ?? 2048)
const RUNS = Number(process.env.SI_BENCH_RUNS ?? 2)

async function exportTime(name) {
  let bytes = 0
  const t0 = process.hrtime.bigint()
  const stream = await engine.getImage(name).get()
  await pipeline(
    stream,
    new Writable({
      write(chunk, _enc, cb) {
        bytes += chunk.length
        cb()
      }
    })
  )
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes }
}

/**
 * The scan runs in a fresh process, from a bundle of src/scan made here with esbuild: that is how the action
 * ships it (one bundled file, no TypeScript loader), and the process's peak RSS (VmHWM) is then the scan's
 * own. The child reads the export straight from the engine's socket.
 */
const CHILD = `
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { scanImageStream } from ${JSON.stringify(fileURLToPath(new URL('../src/scan/index.ts', import.meta.url)))}
async function main() {
  const name = process.argv[2]
  const baseMiB = process.memoryUsage().rss / 2 ** 20
  const t0 = process.hrtime.bigint()
  const res = await new Promise((resolve, reject) =>
    http.get({ socketPath: process.env.DOCKER_SOCKET || '/var/run/docker.sock', path: '/images/' + encodeURIComponent(name) + '/get' }, resolve).on('error', reject))
  if (res.statusCode !== 200) throw new Error('export failed: HTTP ' + res.statusCode)
  const result = await scanImageStream(res)
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const m = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  console.log(JSON.stringify({ ms, peakMiB: Number(m[1]) / 1024, baseMiB, packages: result.inventory.packages.length }))
}
main().catch((err) => { console.error(err); process.exit(1) })
`

async function bundleChild() {
  const esbuild = await import('esbuild')
  const dir = mkdtempSync(join(tmpdir(), 'si-bench-'))
  writeFileSync(join(dir, 'child.ts'), CHILD)
  await esbuild.build({
    entryPoints: [join(dir, 'child.ts')],
    outfile: join(dir, 'child.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['cpu-features', '*.node'],
    logLevel: 'error'
  })
  return { file: join(dir, 'child.cjs'), dir }
}

let child
function scanTime(name) {
  const out = execFileSync(process.execPath, [child.file, name], { encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').pop())
}

async function measure(name) {
  let exp = { ms: Infinity, bytes: 0 }
  let scan = { ms: Infinity, peakMiB: 0, baseMiB: 0, packages: 0 }
  for (let i = 0; i < RUNS; i++) {
    const e = await exportTime(name)
    if (e.ms < exp.ms) exp = e
    const s = scanTime(name)
    scan = {
      ms: Math.min(scan.ms, s.ms),
      peakMiB: Math.max(scan.peakMiB, s.peakMiB),
      baseMiB: s.baseMiB,
      packages: s.packages
    }
  }
  const ratio = scan.ms / exp.ms
  console.log(
    `${name.padEnd(34)} ${(exp.bytes / 2 ** 20).toFixed(0).padStart(6)} MiB  export ${exp.ms.toFixed(0).padStart(6)} ms  ` +
      `scan ${scan.ms.toFixed(0).padStart(6)} ms  ratio ${ratio.toFixed(2)}x  ` +
      `peak RSS ${scan.peakMiB.toFixed(0)} MiB (${scan.baseMiB.toFixed(0)} MiB before the scan)  ` +
      `(${scan.packages} packages)`
  )
  return { ratio, peakMiB: scan.peakMiB }
}

function makeBigImage() {
  const name = `si-bench-big-${process.pid}`
  const per = Math.ceil(BIG_MB / 4)
  const dockerfile = [
    'FROM debian:bookworm',
    ...[1, 2, 3, 4].map(
      (i) =>
        `RUN head -c ${per}M /dev/urandom > /big${i}.bin && mkdir -p /data${i} && for j in $(seq 1 2000); do head -c 4096 /dev/urandom > /data${i}/f$j; done`
    )
  ].join('\n')
  execFileSync('docker', ['build', '-q', '-t', name, '-'], {
    input: dockerfile,
    stdio: ['pipe', 'ignore', 'inherit']
  })
  return name
}

child = await bundleChild()
console.log(
  `node ${process.version}; best of ${RUNS} runs; each scan in a fresh process running the bundled scanner, ` +
    'its peak RSS is the kernel VmHWM'
)
const results = [await measure('debian:bookworm')]
const big = makeBigImage()
try {
  results.push(await measure(big))
} finally {
  execFileSync('docker', ['rmi', '-f', big], { stdio: 'ignore' })
  rmSync(child.dir, { recursive: true, force: true })
}
const worst = Math.max(...results.map((r) => r.ratio))
const peak = Math.max(...results.map((r) => r.peakMiB))
console.log(`goal ≤1.20x and ≤150 MiB: worst ratio ${worst.toFixed(2)}x, peak RSS ${peak.toFixed(0)} MiB`)
