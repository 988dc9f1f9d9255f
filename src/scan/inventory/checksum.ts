/** Adler-32 (RFC 1950), which rpm's NDB database uses to check its blobs; zlib exposes no Adler-32 of its own. */
export function adler32(buf: Buffer): number {
  let a = 1
  let b = 0
  for (let i = 0; i < buf.length;) {
    const end = Math.min(buf.length, i + 5552)
    for (; i < end; i++) {
      a += buf[i]
      b += a
    }
    a %= 65521
    b %= 65521
  }
  return ((b << 16) | a) >>> 0
}
