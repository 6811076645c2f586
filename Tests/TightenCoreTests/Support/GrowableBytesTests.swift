import Testing

@testable import TightenCore

@Suite("GrowableBytes")
struct GrowableBytesTests {
  @Test(
    "doubles at least once, and until the bytes fit",
    arguments: [(16, 17, 32), (16, 32, 32), (16, 33, 64), (16, 100, 128), (65536, 100_000, 131_072), (0, 1, 2)])
  func grownCapacity(_ current: Int, _ needed: Int, _ expected: Int) {
    #expect(GrowableBytes.grownCapacity(current, toHold: needed) == expected)
  }

  @Test("a reservation that fits changes nothing")
  func fits() {
    var bytes = GrowableBytes(capacity: 16)
    let base = bytes.base
    bytes.reserve(16, keeping: 4)
    #expect(bytes.base == base)
    #expect(bytes.capacity == 16)
  }

  @Test("growing keeps the bytes in use, and only those")
  func keeps() {
    var bytes = GrowableBytes(capacity: 16)
    for i in 0..<16 { bytes.base[i] = UInt8(i + 1) }
    bytes.reserve(40, keeping: 10)
    #expect(bytes.capacity == 64)
    #expect(Array(UnsafeBufferPointer(start: bytes.base, count: 10)) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  }
}
