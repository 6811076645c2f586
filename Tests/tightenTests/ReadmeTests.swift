import Foundation
import Testing
import TightenTestSupport

/// The built binary, run as users and their scripts run it.
@Suite("README")
struct ReadmeTests {
  @Test("the README's example outputs are what the binary prints now")
  func examplesAreCurrent() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", Fixtures.packageRoot.appendingPathComponent("Scripts/readme-examples").path, "--check",
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(["TIGHTEN_BIN": Binary.url.path]) { $1 }
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let diff = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "run Scripts/readme-examples; stale:\n\(diff)")
  }
}
