/**
 * Java: `META-INF/maven/<group>/<artifact>/pom.properties` inside jars (zip archives), and inside the jars
 * nested in them (Spring Boot `BOOT-INF/lib/`, `WEB-INF/lib/`), read from the zip's central directory.
 */
import { inflateRawSync } from 'node:zlib'
import { purl, type FileAnalyzer, type RawPackage } from './types.js'

const POM = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/
const NESTED = /\.(jar|war|ear)$/i
const MAX_ENTRY = 64 * 1024 * 1024

interface ZipEntry {
  name: string
  method: number
  compSize: number
  size: number
  offset: number
}

function centralDirectory(buf: Buffer): ZipEntry[] {
  const min = Math.max(0, buf.length - 65557)
  let eocd = -1
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return []
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const out: ZipEntry[] = []
  for (let i = 0; i < count && p + 46 <= buf.length; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) break
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    out.push({
      method: buf.readUInt16LE(p + 10),
      compSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      offset: buf.readUInt32LE(p + 42)
    })
    p += 46 + nameLen + extraLen + commentLen
  }
  return out
}

function entryData(buf: Buffer, e: ZipEntry): Buffer | undefined {
  if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) return undefined
  if (e.size > MAX_ENTRY || e.compSize === 0xffffffff) return undefined
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28)
  const raw = buf.subarray(start, start + e.compSize)
  if (raw.length < e.compSize) return undefined
  if (e.method === 0) return raw
  if (e.method === 8) {
    try {
      return inflateRawSync(raw, { maxOutputLength: Math.max(e.size, 1) })
    } catch {
      return undefined
    }
  }
  return undefined
}

function parseProperties(text: string): Map<string, string> {
  const m = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim()
    if (!t || t.startsWith('#') || t.startsWith('!')) continue
    const i = t.search(/[=:]/)
    if (i > 0) m.set(t.slice(0, i).trim(), t.slice(i + 1).trim())
  }
  return m
}

/** The Maven artifacts recorded in a jar (and the jars inside it, `depth` levels deep). */
export function parseJar(buf: Buffer, path: string, depth = 2): RawPackage[] {
  const out: RawPackage[] = []
  let entries: ZipEntry[]
  try {
    entries = centralDirectory(buf)
  } catch {
    return out
  }
  for (const e of entries) {
    if (POM.test(e.name)) {
      const data = entryData(buf, e)
      if (!data) continue
      const props = parseProperties(data.toString('utf8'))
      const g = props.get('groupId')
      const a = props.get('artifactId')
      const v = props.get('version')
      if (!g || !a || !v) continue
      out.push({
        type: 'maven',
        name: `${g}:${a}`,
        version: v,
        ecosystem: 'Maven',
        purl: purl('maven', g, a, v),
        path
      })
    } else if (depth > 0 && NESTED.test(e.name)) {
      const data = entryData(buf, e)
      if (data) out.push(...parseJar(data, `${path}!/${e.name}`, depth - 1))
    }
  }
  return out
}

export const javaAnalyzer: FileAnalyzer = {
  id: 'java',
  match: (path) => /\.(jar|war|ear)$/i.test(path),
  maxBytes: 64 * 1024 * 1024,
  parse: (path, data) => parseJar(data, path)
}
