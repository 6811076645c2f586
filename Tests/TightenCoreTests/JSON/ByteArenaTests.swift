import Testing

@testable import TightenCore

@Suite("ByteArena")
struct ByteArenaTests {
  @Test("appends bytes and UTF-8, growing by doubling")
  func appends() {
    let arena = ByteArena(capacity: 4)
    arena.append(0x61)
    arena.appendUTF8(0xE9)  // é
    arena.appendUTF8(0x1F600)  // 😀
    #expect(arena.count == 7)
    #expect(arena.capacity == 8)
    let text = String(decoding: UnsafeBufferPointer(start: arena.base, count: arena.count), as: UTF8.self)
    #expect(text == "aé😀")
    arena.reset()
    #expect(arena.count == 0)
    #expect(arena.capacity == 8)
  }
}
