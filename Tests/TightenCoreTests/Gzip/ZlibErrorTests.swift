import Testing

@testable import TightenCore

@Suite("ZlibError")
struct ZlibErrorTests {
  @Test("names zlib's status codes and keeps its message")
  func names() {
    #expect(ZlibError.dataError.name == "data error")
    #expect(ZlibError(code: -3, message: "invalid block type").description == "data error (invalid block type)")
    #expect(ZlibError(code: -3, message: "x") == .dataError)
  }
}
