/** Writes zip archives for tests (osv.dev's all.zip, Java jars). */
import { deflateRawSync, crc32 } from 'node:zlib'

/**
 * A zip archive (deflated entries) of `files`, as osv.dev's `all.zip` holds one `<ID>.json` per record. With
 * `storeFirst`, the first entry is stored rather than deflated (as jars keep their manifest); with `store`, every
 * entry is (as Spring Boot stores the jars nested in a fat jar). With
 * `zip64`, the end records are written in their ZIP64 form (as archives of more than 65535 entries need).
 */
export function writeZip(
  files: { name: string; data: Buffer | string }[],
  opts: { zip64?: boolean; storeFirst?: boolean; store?: boolean } = {}
): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [i, f] of files.entries()) {
    const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8')
    const method = opts.store || (opts.storeFirst && i === 0) ? 0 : 8
    const comp = method === 0 ? data : deflateRawSync(data)
    const name = Buffer.from(f.name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(comp.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(comp.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, comp)
    centrals.push(central, name)
    offset += 30 + name.length + comp.length
  }
  const cd = Buffer.concat(centrals)
  const zip64 = opts.zip64 || files.length > 0xffff
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(zip64 ? 0xffff : files.length, 8)
  end.writeUInt16LE(zip64 ? 0xffff : files.length, 10)
  end.writeUInt32LE(zip64 ? 0xffffffff : cd.length, 12)
  end.writeUInt32LE(zip64 ? 0xffffffff : offset, 16)
  if (!zip64) return Buffer.concat([...locals, cd, end])
  const rec = Buffer.alloc(56)
  rec.writeUInt32LE(0x06064b50, 0)
  rec.writeBigUInt64LE(44n, 4)
  rec.writeUInt16LE(45, 12)
  rec.writeUInt16LE(45, 14)
  rec.writeBigUInt64LE(BigInt(files.length), 24)
  rec.writeBigUInt64LE(BigInt(files.length), 32)
  rec.writeBigUInt64LE(BigInt(cd.length), 40)
  rec.writeBigUInt64LE(BigInt(offset), 48)
  const loc = Buffer.alloc(20)
  loc.writeUInt32LE(0x07064b50, 0)
  loc.writeBigUInt64LE(BigInt(offset + cd.length), 8)
  loc.writeUInt32LE(1, 16)
  return Buffer.concat([...locals, cd, rec, loc, end])
}
