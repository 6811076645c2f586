import CScan
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Bytes JSON must escape")
struct NeedsEscapeTests {
  @Test("a control byte, quote or backslash is found at every place in runs of 0 to 80 bytes; UTF-8 and DEL are plain")
  func everyPlace() {
    let plain: [UInt8] = Array("arn:aws:s3:::b/é~ \u{7F}".utf8)
    let special: [UInt8] = [0x00, 0x09, 0x0A, 0x1F, 0x22, 0x5C]
    var random = SeededRandom(seed: 0x3C6E_F372_FE94_F82B)
    for n in 0...80 {
      let bytes = (0..<n).map { _ in plain[random.next(plain.count)] }
      bytes.withUnsafeBufferPointer { #expect(tighten_json_needs_escape($0.baseAddress!, n) == 0, "\(n)") }
      for at in 0..<n {
        var marked = bytes
        marked[at] = special[random.next(special.count)]
        marked.withUnsafeBufferPointer { #expect(tighten_json_needs_escape($0.baseAddress!, n) == 1, "\(n) \(at)") }
      }
    }
  }

  @Test("the scan report and the sink write escapes only where JSON needs them")
  func sinkQuotes() {
    let text = ByteSink.collect { sink in
      sink.appendQuoted("arn:aws:s3:::b/plain-key-that-is-longer-than-sixteen")
      sink.appendQuoted("arn:aws:s3:::b/a \"quoted\" key with a \\ and a tab\t")
    }
    #expect(
      text == #""arn:aws:s3:::b/plain-key-that-is-longer-than-sixteen""#
        + #""arn:aws:s3:::b/a \"quoted\" key with a \\ and a tab\t""#)
  }
}
