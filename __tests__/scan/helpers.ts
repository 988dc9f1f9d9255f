/** Test helpers for the image scan: images built in the real engine, and hand-made archives. */
import Docker from 'dockerode'
import { writeZip } from '../helpers/zip.js'
import { Readable } from 'node:stream'
import * as tar from 'tar-stream'
import { docker, uniqueName, untag } from '../helpers/testenv.js'
import { scanImageStream, type ScanOptions } from '../../src/scan/index.js'
import type { ScanResult } from '../../src/scan/types.js'

export const engine = new Docker()

export interface TarEntry {
  name: string
  data?: string | Buffer
  type?: 'file' | 'directory' | 'symlink' | 'link'
  mode?: number
  linkname?: string
  /** A size to claim in the header, for hostile archives (defaults to the data length). */
  size?: number
}

/** A tar built in memory with tar-stream. */
export async function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c) => chunks.push(c as Buffer))
    pack.on('end', () => resolve())
    pack.on('error', reject)
  })
  for (const e of entries) {
    const type = e.type ?? 'file'
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0))
    const header = {
      name: e.name,
      type,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      mtime: new Date(0),
      ...(e.linkname ? { linkname: e.linkname } : {})
    }
    await new Promise<void>((resolve, reject) =>
      type === 'file'
        ? pack.entry({ ...header, size: data.length }, data, (err) => (err ? reject(err) : resolve()))
        : pack.entry(header, (err) => (err ? reject(err) : resolve()))
    )
  }
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

/** A zip with the given entries, the first stored and the others deflated. */
export function makeZip(entries: { name: string; data: Buffer | string }[]): Buffer {
  return writeZip(entries, { storeFirst: true })
}

function uvarint(n: number): Buffer {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Buffer.from(out)
}

/**
 * A minimal ELF64 executable whose `.go.buildinfo` section holds build info in the Go 1.18+ format, as the
 * Go linker writes it: the 32-byte header (magic, pointer size, flags with the inline-strings bit), then the
 * Go version and the module info as varint-prefixed strings, the module info framed by 16-byte sentinels.
 */
export function makeGoElf(goVersion: string, modinfo: string): Buffer {
  const header = Buffer.alloc(32)
  Buffer.from('\xff Go buildinf:', 'latin1').copy(header, 0)
  header[14] = 8
  header[15] = 2
  const sentinelStart = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex')
  const sentinelEnd = Buffer.from('f932433186182072008242104116d8f2', 'hex')
  const mod = Buffer.concat([sentinelStart, Buffer.from(modinfo), sentinelEnd])
  const v = Buffer.from(goVersion)
  const section = Buffer.concat([header, uvarint(v.length), v, uvarint(mod.length), mod])
  const elf = Buffer.alloc(64)
  elf.write('\x7fELF', 0, 'latin1')
  elf[4] = 2 // 64-bit
  elf[5] = 1 // little endian
  elf[6] = 1
  elf.writeUInt16LE(2, 16) // ET_EXEC
  elf.writeUInt16LE(0x3e, 18) // x86-64
  elf.writeUInt32LE(1, 20)
  elf.writeUInt16LE(64, 52)
  // Code-like filler before the section, so that the section is found inside the file, not at its start.
  const filler = Buffer.alloc(4096 - 64, 0x90)
  return Buffer.concat([elf, filler, section, Buffer.alloc(1024)])
}

/** Builds an image from a Dockerfile and context files with the classic builder (the docker CLI). */
export async function buildImage(
  dockerfile: string,
  files: TarEntry[] = [],
  opts: { buildkit?: boolean; name?: string } = {}
): Promise<string> {
  const name = opts.name ?? uniqueName('si-scan')
  const context = await makeTar([{ name: 'Dockerfile', data: dockerfile }, ...files])
  const query: Record<string, string> = { t: name, rm: 'true', forcerm: 'true' }
  if (opts.buildkit) query.version = '2'
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    engine.modem.dial(
      {
        path: '/build?',
        method: 'POST',
        options: query,
        isStream: true,
        file: context,
        headers: { 'Content-Type': 'application/x-tar' },
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' }
      },
      (err: unknown, res: unknown) => (err ? reject(err as Error) : resolve(res as NodeJS.ReadableStream))
    )
  })
  const events = await new Promise<{ error?: string; errorDetail?: { message?: string } }[]>(
    (resolve, reject) =>
      engine.modem.followProgress(stream, (err: Error | null, out: unknown[]) =>
        err ? reject(err) : resolve(out as never)
      )
  )
  const failed = events.find((e) => e.error || e.errorDetail)
  if (failed) throw new Error(`docker build failed: ${failed.error ?? failed.errorDetail?.message}`)
  docker(['image', 'inspect', name])
  return name
}

export async function saveStream(name: string): Promise<NodeJS.ReadableStream> {
  return engine.getImage(name).get()
}

export async function scanImage(name: string, options: ScanOptions = {}): Promise<ScanResult> {
  return scanImageStream(await saveStream(name), options)
}

export function scanBuffer(buf: Buffer, options: ScanOptions = {}): Promise<ScanResult> {
  return scanImageStream(Readable.from([buf]), options)
}

/** Untags the names after a test; see `untag`. */
export const removeImages = untag
