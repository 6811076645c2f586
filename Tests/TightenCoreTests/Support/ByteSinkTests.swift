import Testing

@testable import TightenCore

@Suite("ByteSink's numbers and a summary's exact strings")
struct ByteSinkTests {
  @Test("an integer is written as Swift writes it, from zero to either end of Int")
  func integers() {
    var values: [Int] = [0, 1, 9, 10, 99, 100, -1, -9, -10, 1_795_132_811, Int.max, Int.min, Int.min + 1]
    var power = 1
    for _ in 0..<18 {
      power *= 10
      values += [power - 1, power, power + 1, -power]
    }
    for n in values {
      #expect(ByteSink.collect { $0.append(n) } == String(n))
    }
    // Side by side, with the buffer's room taken up to the byte.
    #expect(ByteSink.collect { sink in for n in values { sink.append(n) } } == values.map(String.init).joined())
  }

  @Test("a summary's string: quoted, only a quote, a backslash and control bytes escaped, at any position")
  func exactStrings() {
    let arn = Array("arn:aws:s3:::orders-prod-data/2026/11/03/Bq7YeLddFF37.parquet".utf8)
    #expect(ByteSink.collect { $0.appendExact(arn) } == "\"" + String(decoding: arn, as: UTF8.self) + "\"")
    for position in 0...arn.count {
      for (byte, escaped) in [(UInt8(0x22), "\\\""), (0x5C, "\\\\"), (0x0A, "\\u000a"), (0x1F, "\\u001f")] {
        var bytes = arn
        bytes.insert(byte, at: position)
        let expected =
          "\"" + String(decoding: arn[..<position], as: UTF8.self) + escaped
          + String(decoding: arn[position...], as: UTF8.self) + "\""
        #expect(ByteSink.collect { $0.appendExact(bytes) } == expected)
      }
    }
    // Bytes of 0x7F and up are written as they are (a summary keeps invalid UTF-8 exact).
    var raw: [UInt8] = []
    let sink = ByteSink { raw.append(contentsOf: $0) }
    sink.appendExact([0x7F, 0x80, 0xFF])
    sink.flush()
    #expect(raw == [0x22, 0x7F, 0x80, 0xFF, 0x22])
  }
}
