// Benchmark of the whole CLI scan against `docker save` of the same image, measured in the same run.
//
// For each image, every run times `docker save IMAGE >/dev/null`, then `secure-image scan IMAGE --osv-db DIR
// --format json >/dev/null` twice, each as a fresh process from its start to its exit: cold (an empty cache, so
// the scan indexes the offline OSV database) and warm (with the index the cold scan kept, as every later scan of
// the same database reads it; src/scan/osv/index-cache.ts). Then the floor: a node process that only requests
// the export and reads it in place, with no analysis, which shows what Node's start and the export cost alone.
// The CLI is the bundle that `npm run build` makes, built here into a temporary directory; the OSV directory is
// generated here (Debian:12 and Maven all.zip files in osv.dev's shape). The ratio to `docker save` of each run
// is taken, and the median over the runs is printed for cold scans, warm scans and the floor, with peak RSS (the
// kernel's VmHWM, read by a preloaded hook at exit) and CPU time (user + system). On a busy machine the ratio
// follows CPU time more than overlap: the CPU time shows what the scan itself costs.
//
// Engines: debian:bookworm is measured on the default engine and, when it runs here, on the modern engine with
// the containerd store (unix:///run/si-modern/docker.sock, as scripts/modern-engine.sh starts it;
// SI_BENCH_MODERN=0 skips it). The generated image is measured on the default engine.
//
// Images: debian:bookworm, and a generated image of about 2 GB made FROM busybox:stable with random files, many
// small files and a 200 MB Spring Boot-style fat jar (nested jars with pom.properties), removed afterwards.
//
//   npm run bench:scan   (SI_BENCH_RUNS=3 runs per image, SI_BENCH_BIG_MB=2048 the generated image's size,
//                         SI_BENCH_JAR_MB=200 the fat jar's size, SI_BENCH_OSV_RECORDS=20000 Debian records,
//                         SI_BENCH_BIG=0 to measure debian:bookworm only)
import { execFileSync, spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { writeZip } from '../__tests__/helpers/zip.ts'

const RUNS = Number(process.env.SI_BENCH_RUNS ?? 3)
const BIG_MB = Number(process.env.SI_BENCH_BIG_MB ?? 2048)
const JAR_MB = Number(process.env.SI_BENCH_JAR_MB ?? 200)
const OSV_RECORDS = Number(process.env.SI_BENCH_OSV_RECORDS ?? 20000)
const BIG = process.env.SI_BENCH_BIG !== '0'
const ROOT = fileURLToPath(new URL('..', import.meta.url))

const work = mkdtempSync(join(tmpdir(), 'si-bench-scan-'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]

/** Runs a command with stdout to /dev/null; resolves with its wall time in ms (spawn to exit). */
function timed(cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const devnull = openSync('/dev/null', 'w')
    const t0 = process.hrtime.bigint()
    const child = spawn(cmd, args, { stdio: ['ignore', devnull, 'pipe'], env })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      closeSync(devnull)
      // 0: the gate passed, 1: it failed (the generated OSV records make findings); anything else is an error.
      if (code === 0 || code === 1) resolve(ms)
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))
    })
  })
}

function buildCli() {
  const out = join(work, 'dist')
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), out], { cwd: ROOT, stdio: 'inherit' })
  const hook = join(work, 'peak-rss.cjs')
  writeFileSync(
    hook,
    `process.on('exit', () => { const fs = require('fs'); const m = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8')); const u = process.resourceUsage(); fs.writeFileSync(process.env.SI_BENCH_RSS_FILE, m[1] + ' ' + (u.userCPUTime + u.systemCPUTime) / 1000) })\n`
  )
  // The floor: a node process that only asks the engine for the export and reads it in place, with no analysis.
  const floor = join(work, 'floor.cjs')
  writeFileSync(
    floor,
    `const net = require('node:net')
const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'
if (!host.startsWith('unix://')) { console.error('the floor reads an engine on a unix socket only'); process.exit(2) }
const buf = Buffer.allocUnsafe(1 << 20)
let first = true
const s = net.connect({ path: host.slice(7), onread: { buffer: buf, callback(n) {
  if (first && !buf.toString('latin1', 0, n).startsWith('HTTP/1.1 200')) { console.error(buf.toString('latin1', 0, n)); process.exit(2) }
  first = false
  return true
} } }, () => s.write('GET /images/' + process.argv[2] + '/get HTTP/1.1\\r\\nHost: docker\\r\\nConnection: close\\r\\n\\r\\n'))
s.on('error', (e) => { console.error(e.message); process.exit(2) })
`
  )
  return { cli: join(out, 'cli.cjs'), hook, floor }
}

// A deterministic generator, so every run measures the same data.
let seed = 7
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return Math.floor((seed / 2147483648) * n)
}

/** Source packages of debian:bookworm that get an advisory affecting every version. */
const DEBIAN_HITS = ['glibc', 'openssl', 'systemd', 'perl', 'bash', 'coreutils', 'tar', 'zlib', 'ncurses']
const DEBIAN_HITS_MORE = [
  'util-linux',
  'gnutls28',
  'libgcrypt20',
  'pam',
  'shadow',
  'apt',
  'dpkg',
  'e2fsprogs'
]

function osvRecord(id, ecosystem, name, events) {
  return {
    id,
    modified: '2026-01-01T00:00:00Z',
    published: '2025-06-01T00:00:00Z',
    aliases: [id.replace(/^[A-Z]+-/, '')],
    summary: `generated advisory ${id} for ${name}`,
    details: 'A generated advisory of about the size of a real one. '.repeat(8),
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    references: [{ type: 'WEB', url: `https://security-tracker.debian.org/tracker/${id}` }]
  }
}

function makeOsvDir(jarArtifacts) {
  const dir = join(work, 'osv')
  const deb = []
  for (const name of [...DEBIAN_HITS, ...DEBIAN_HITS_MORE]) {
    deb.push(osvRecord(`DEBIAN-CVE-2026-${10000 + deb.length}`, 'Debian:12', name, [{ introduced: '0' }]))
  }
  while (deb.length < OSV_RECORDS) {
    const a = 1 + rand(9)
    const events = [{ introduced: '0' }, { fixed: `${a}.${rand(20)}-${1 + rand(4)}+deb12u${rand(3)}` }]
    deb.push(osvRecord(`DEBIAN-CVE-2026-${10000 + deb.length}`, 'Debian:12', `pkg${rand(6000)}`, events))
  }
  const maven = jarArtifacts.map((a, i) =>
    osvRecord(`GHSA-bench-${i}`, 'Maven', a, [{ introduced: '0' }, { fixed: '9.0.0' }])
  )
  for (let i = 0; i < 5000; i++) {
    maven.push(
      osvRecord(`GHSA-other-${i}`, 'Maven', `org.other${rand(500)}:lib${rand(50)}`, [{ introduced: '0' }])
    )
  }
  for (const [eco, recs] of [
    ['Debian', deb],
    ['Maven', maven]
  ]) {
    mkdirSync(join(dir, eco), { recursive: true })
    writeFileSync(
      join(dir, eco, 'all.zip'),
      writeZip(recs.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })))
    )
  }
  return dir
}

/** A Spring Boot-style fat jar of about `mb` MiB: nested jars (stored) each with a pom.properties. */
function makeFatJar(file, mb) {
  const nested = []
  const artifacts = []
  const count = 100
  const each = Math.floor((mb * 2 ** 20) / count)
  for (let i = 0; i < count; i++) {
    const g = `org.bench${i % 10}`
    const a = `lib${i}`
    artifacts.push(`${g}:${a}`)
    const pom = `groupId=${g}\nartifactId=${a}\nversion=1.${i}.0\n`
    const inner = writeZip(
      [
        { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
        { name: `META-INF/maven/${g}/${a}/pom.properties`, data: pom },
        { name: `${g.replace('.', '/')}/${a}/Payload.class`, data: randomBytes(each) }
      ],
      { store: true }
    )
    nested.push({ name: `BOOT-INF/lib/${a}-1.${i}.0.jar`, data: inner })
  }
  const app = `groupId=org.bench\nartifactId=app\nversion=1.0.0\n`
  writeFileSync(
    file,
    writeZip(
      [
        { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\nMain-Class: Launcher\n' },
        { name: 'META-INF/maven/org.bench/app/pom.properties', data: app },
        ...nested
      ],
      { store: true }
    )
  )
  return artifacts
}

function makeBigImage(context) {
  const name = `si-bench-big-${process.pid}`
  const per = Math.max(1, Math.round((BIG_MB - JAR_MB - 40) / 4))
  const dockerfile = [
    'FROM busybox:stable',
    'COPY app.jar /app/app.jar',
    ...[1, 2, 3, 4].map(
      (i) =>
        `RUN dd if=/dev/urandom of=/big${i}.bin bs=1M count=${per} 2>/dev/null && mkdir -p /data${i} && ` +
        `for j in $(seq 1 2500); do head -c 4096 /dev/urandom > /data${i}/f$j; done`
    )
  ].join('\n')
  writeFileSync(join(context, 'Dockerfile'), dockerfile + '\n')
  execFileSync('docker', ['build', '-q', '-t', name, context], { stdio: ['ignore', 'ignore', 'inherit'] })
  return name
}

const MODERN = 'unix:///run/si-modern/docker.sock'
/** The engines measured: the default one, and the modern engine (containerd store) when it runs here. */
function engines() {
  const list = [
    {
      label:
        'engine ' + execFileSync('docker', ['version', '--format', '{{.Server.Version}}']).toString().trim(),
      env: {}
    }
  ]
  if (process.env.SI_BENCH_MODERN !== '0' && existsSync(MODERN.slice('unix://'.length))) {
    const env = { DOCKER_HOST: MODERN }
    const v = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      env: { ...process.env, ...env }
    })
    list.push({ label: `engine ${v.toString().trim()} (containerd store)`, env })
  }
  return list
}

/**
 * Times `docker save` and the scan in turn, RUNS times. Each scan is timed twice: cold, with an empty cache (the
 * offline OSV database is indexed during the scan), and warm, with the cache the cold scan left (its index is
 * read from the cache, as on every later scan of the same database).
 */
async function measure(name, cli, osv, engine) {
  const rssFile = join(work, 'rss')
  const cache = join(work, 'cache')
  const env = {
    ...process.env,
    ...engine.env,
    SI_BENCH_RSS_FILE: rssFile,
    SECURE_IMAGE_CACHE_DIR: cache,
    NO_COLOR: '1'
  }
  const scanArgs = ['--require', cli.hook, cli.cli, 'scan', name, '--osv-db', osv, '--format', 'json']
  const scan = async (args = scanArgs) => {
    const ms = await timed(process.execPath, args, env)
    const [hwm, cpu] = readFileSync(rssFile, 'utf8').split(' ').map(Number)
    return { ms, peakMiB: hwm / 1024, cpu }
  }
  await timed('docker', ['save', name], env) // warm the engine's caches; not counted
  const runs = []
  for (let i = 0; i < RUNS; i++) {
    const save = await timed('docker', ['save', name], env)
    rmSync(cache, { recursive: true, force: true })
    const cold = await scan()
    const warm = await scan()
    const floor = await scan(['--require', cli.hook, cli.floor, name])
    runs.push({ save, cold, warm, floor })
  }
  const line = (kind) => {
    const ratios = runs.map((x) => x[kind].ms / x.save)
    const r = {
      ratio: median(ratios),
      scan: median(runs.map((x) => x[kind].ms)),
      peakMiB: Math.max(...runs.map((x) => x[kind].peakMiB)),
      cpu: median(runs.map((x) => x[kind].cpu))
    }
    console.log(
      `  ${(kind === 'floor' ? 'floor' : `${kind} scan`).padEnd(9)} ${r.scan.toFixed(0).padStart(6)} ms  ratio ${r.ratio.toFixed(2)}x ` +
        `(runs: ${ratios.map((x) => x.toFixed(2)).join(' ')})  scan CPU ${r.cpu.toFixed(0)} ms  peak RSS ${r.peakMiB.toFixed(0)} MiB`
    )
    return r
  }
  console.log(
    `${name}, ${engine.label}: docker save ${median(runs.map((x) => x.save)).toFixed(0)} ms (median)`
  )
  return { cold: line('cold'), warm: line('warm'), floor: line('floor') }
}

let big
try {
  const cli = buildCli()
  const context = join(work, 'context')
  mkdirSync(context)
  const artifacts = makeFatJar(join(context, 'app.jar'), JAR_MB)
  const osv = makeOsvDir(artifacts)
  if (BIG) big = makeBigImage(context)
  console.log(
    `node ${process.version}; median of ${RUNS} runs, each a fresh \`docker save\` then a fresh CLI scan ` +
      `(offline OSV: ${OSV_RECORDS} Debian:12 and ${artifacts.length + 5000} Maven records); peak RSS is the scan's VmHWM`
  )
  const list = engines()
  const results = []
  for (const engine of list) results.push(await measure('debian:bookworm', cli, osv, engine))
  if (big) results.push(await measure(big, cli, osv, list[0]))
  const worst = (kind) => Math.max(...results.map((r) => r[kind].ratio)).toFixed(2)
  const peak = Math.max(...results.map((r) => Math.max(r.cold.peakMiB, r.warm.peakMiB)))
  const floors = results.map((r) => r.floor.ratio.toFixed(2)).join(', ')
  console.log(
    `goal ≤1.20x, and ≤150 MiB on the 2 GB image: worst ratio ${worst('cold')}x cold, ${worst('warm')}x warm; ` +
      `peak RSS ${peak.toFixed(0)} MiB${big ? '' : ' (debian:bookworm only)'}; ` +
      `the floor (node reading the export, no analysis) ${floors}x`
  )
} finally {
  if (big) execFileSync('docker', ['rmi', '-f', big], { stdio: 'ignore' })
  rmSync(work, { recursive: true, force: true })
}
