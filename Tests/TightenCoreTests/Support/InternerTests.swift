import Testing

@testable import TightenCore

@Suite("Interner")
struct InternerTests {
  private func intern(_ t: Interner, _ s: String) -> Int32 { t.intern(s) }

  @Test("ids in order of first sight; the same bytes give the same id; empty is a string like another")
  func ids() {
    let t = Interner()
    #expect(intern(t, "s3:GetObject") == 0)
    #expect(intern(t, "") == 1)
    #expect(intern(t, "s3:PutObject") == 2)
    #expect(intern(t, "s3:GetObject") == 0)
    #expect(intern(t, "") == 1)
    #expect(t.count == 3)
    #expect(t.string(2) == "s3:PutObject" && t.string(1) == "")
  }

  @Test("100,000 strings through many growths of the table and the ids, each found again", arguments: [0, 200_000])
  func growth(expected: Int) {
    let t = Interner(expected: expected)
    for i in 0..<100_000 { #expect(intern(t, "arn:aws:s3:::bucket/key-\(i)") == Int32(i)) }
    #expect(t.count == 100_000)
    for i in stride(from: 0, to: 100_000, by: 7) { #expect(intern(t, "arn:aws:s3:::bucket/key-\(i)") == Int32(i)) }
    #expect(t.string(99_999) == "arn:aws:s3:::bucket/key-99999")
  }

  @Test("appended strings are read by id, and found by intern once it indexes them")
  func append() {
    let t = Interner()
    for i in 0..<5_000 {
      var s = "r\(i)"
      s.withUTF8 { t.append($0.baseAddress, $0.count) }
    }
    #expect(t.count == 5_000)
    #expect(t.string(4_321) == "r4321")
    #expect(intern(t, "r4321") == 4_321)
    #expect(intern(t, "r0") == 0)
    #expect(intern(t, "new") == 5_000)
    #expect(intern(t, "new") == 5_000)
    var again = "r17"
    again.withUTF8 { t.append($0.baseAddress, $0.count) }
    #expect(t.count == 5_002)
    #expect(intern(t, "r17") == 17)
  }
}
