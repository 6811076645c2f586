import CZlib
import Testing
import TightenTestSupport

@testable import TightenCore

/// tighten checks each gzip member's CRC-32 and length itself (`GzipReader`,
/// with `tighten_crc32`), not zlib: the checks must refuse what zlib's own
/// refuse, with zlib's words, wherever the trailer falls in the input.
@Suite("Gzip checksums")
struct ChecksumTests {
  static let text = String(repeating: #"{"eventName":"GetObject","n":12345},"#, count: 3000)

  @Test("tighten_crc32 gives zlib's crc32_z for every length, alignment and starting value")
  func sameAsZlib() {
    var bytes = [UInt8](repeating: 0, count: 70_000)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for i in bytes.indices {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
    }
    var mismatches: [String] = []
    bytes.withUnsafeBufferPointer { b in
      for length in Array(0...300) + [1_023, 1_024, 4_095, 65_536, 69_984] {
        for offset in [0, 1, 3, 8, 15] {
          for start: UInt32 in [0, 0xDEAD_BEEF] {
            let p = b.baseAddress! + offset
            let ours = tighten_crc32(start, p, length)
            let zlib = UInt32(crc32_z(UInt(start), p, z_size_t(length)))
            if ours != zlib { mismatches.append("length \(length) offset \(offset) start \(start)") }
          }
        }
      }
    }
    #expect(mismatches == [])
    // The check value of the CRC-32 catalogue: CRC-32/ISO-HDLC of "123456789".
    #expect(
      Array("123456789".utf8).withUnsafeBufferPointer { tighten_crc32(0, $0.baseAddress, $0.count) } == 0xCBF4_3926)
  }

  @Test("a member whose CRC-32 is wrong is corrupt, wherever the input's chunks end", arguments: [1, 3, 7, 64, 4096])
  func wrongCRC(chunk: Int) throws {
    var gz = TestGzip.compress(Self.text)
    gz[gz.count - 8] ^= 0x01
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: gz, path: "crc.gz", chunkSize: chunk)) }
    #expect(error?.kind == .corrupt)
    #expect(error?.reason == "corrupt gzip data: data error (incorrect data check)")
    #expect(error?.offset == gz.count - 4)  // where zlib's own check stops: after the CRC, before the length
  }

  @Test("a member whose length is wrong is corrupt", arguments: [1, 5, 4096])
  func wrongLength(chunk: Int) throws {
    var gz = TestGzip.compress(Self.text)
    gz[gz.count - 1] ^= 0x80
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: gz, chunkSize: chunk)) }
    #expect(error?.reason == "corrupt gzip data: data error (incorrect length check)")
  }

  @Test("the second member's CRC-32 is checked as the first's", arguments: [1, 4096])
  func secondMember(chunk: Int) throws {
    let first = TestGzip.compress("first,")
    var second = TestGzip.compress(Self.text)
    second[second.count - 5] ^= 0x40
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: first + second, chunkSize: chunk)) }
    #expect(error?.reason == "corrupt gzip data: data error (incorrect data check)")
    #expect(
      try drain(GzipReader(bytes: first + TestGzip.compress(Self.text), chunkSize: chunk)).count == 6
        + Self.text.utf8.count)
  }

  @Test("a member with a header CRC (FHCRC) is read, and zlib checks its header", arguments: [1, 4096])
  func headerCRC(chunk: Int) throws {
    let plain = TestGzip.compress(Self.text)
    var header = Array(plain[0..<10])
    header[3] |= 0x02
    let crc = header.withUnsafeBufferPointer { tighten_crc32(0, $0.baseAddress, $0.count) }
    let member = header + [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF)] + plain[10...]
    #expect(try drain(GzipReader(bytes: member, chunkSize: chunk)) == Array(Self.text.utf8))
    var badHeader = member
    badHeader[10] ^= 0xFF
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: badHeader, chunkSize: chunk)) }
    #expect(error?.reason == "corrupt gzip data: data error (header crc mismatch)")
    var badData = member
    badData[badData.count - 8] ^= 0x01
    let dataError = #expect(throws: InputError.self) { try drain(GzipReader(bytes: badData, chunkSize: chunk)) }
    #expect(dataError?.reason == "corrupt gzip data: data error (incorrect data check)")
  }
}
