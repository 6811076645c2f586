import Synchronization
import TightenCore

/// Standard output and standard error, and whether they are terminals.
enum Terminal {
  static let standardErrorIsTerminal = Platform.isTerminal(2)
  static let standardOutputIsTerminal = Platform.isTerminal(1)
  /// `TERM=dumb`: no cursor movement.
  static let isDumb = Platform.environment("TERM") == "dumb"
  static let noColor = !(Platform.environment("NO_COLOR") ?? "").isEmpty
  /// Colour on standard output: a terminal, unless `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`.
  static var colour: Bool {
    standardOutputIsTerminal && !isDumb && !noColor
  }

  static func write(_ text: String) {
    var text = text
    text.withUTF8 { write($0) }
  }

  /// The first failed write to standard output (a full disk, `/dev/full`, a
  /// reader that went away): the run then ends with exit status 2.
  static var outputFailure: Platform.SystemError? { failure.withLock { $0 } }
  private static let failure = Mutex<Platform.SystemError?>(nil)

  /// Writes to standard output; after a failure nothing more is written.
  static func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard outputFailure == nil else { return }
    do throws(Platform.SystemError) {
      try Platform.writeAll(UnsafeRawBufferPointer(bytes), to: 1)
    } catch {
      failure.withLock { $0 = $0 ?? error }
    }
  }

  /// Standard output as a sink for large reports.
  static func standardOutput() -> ByteSink {
    ByteSink { piece in write(piece) }
  }

  static func error(_ text: String) {
    var text = text
    text.withUTF8 { bytes in try? Platform.writeAll(UnsafeRawBufferPointer(bytes), to: 2) }
  }

  /// `path: error: message`, coloured on a terminal; the path and message,
  /// which may come from a trail or a policy, are escaped as text output is.
  static func diagnose(_ path: String, _ severity: String, _ message: String) {
    let (path, message) = (Escaping.text(path), Escaping.text(message))
    if standardErrorIsTerminal && !isDumb && !noColor {
      let colour = severity == "error" ? "\u{1B}[31m" : "\u{1B}[33m"
      error("\(path): \(colour)\(severity)\u{1B}[0m: \(message)\n")
    } else {
      error("\(path): \(severity): \(message)\n")
    }
  }
}

/// `files 12/55  events 120,345  (410,000 events/s)` on standard error, redrawn in place.
final class ProgressLine: Sendable {
  private struct State {
    var lastDraw: Double = 0
    var drawn = false
  }

  private let start = Platform.monotonicSeconds()
  private let state = Mutex(State())

  func update(_ p: AnalysisProgress) {
    state.withLock { state in
      let t = Platform.monotonicSeconds()
      guard t - state.lastDraw > 0.2 || p.filesDone == p.filesTotal else { return }
      state.lastDraw = t
      let rate = Int(Double(p.events) / max(t - start, 0.001))
      Terminal.error("\r\u{1B}[2Kfiles \(p.filesDone)/\(p.filesTotal)  events \(p.events)  (\(rate) events/s)")
      state.drawn = true
    }
  }

  func finish() {
    state.withLock { state in
      if state.drawn { Terminal.error("\r\u{1B}[2K") }
    }
  }
}
