import TightenCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard output and standard error, and whether they are terminals.
enum Terminal {
  static let standardErrorIsTerminal = isatty(2) == 1
  static let standardOutputIsTerminal = isatty(1) == 1

  static func write(_ text: String) {
    var text = text
    text.withUTF8 { write($0) }
  }

  static func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    var done = 0
    while done < bytes.count {
      let n = Glibc.write(1, bytes.baseAddress! + done, bytes.count - done)
      if n <= 0 { return }
      done += n
    }
  }

  /// Standard output as a sink for large reports.
  static func standardOutput() -> ByteSink {
    ByteSink { piece in write(piece) }
  }

  static func error(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress!, bytes.count) }
  }

  /// `path: error: message`, coloured on a terminal.
  static func diagnose(_ path: String, _ severity: String, _ message: String) {
    if standardErrorIsTerminal {
      let colour = severity == "error" ? "\u{1B}[31m" : "\u{1B}[33m"
      error("\(path): \(colour)\(severity)\u{1B}[0m: \(message)\n")
    } else {
      error("\(path): \(severity): \(message)\n")
    }
  }
}

/// `files 12/55  events 120,345  (410,000 events/s)` on standard error, redrawn in place.
final class ProgressLine: @unchecked Sendable {
  private var lastDraw: Double = 0
  private let start = ProgressLine.now()
  private var lock = pthread_mutex_t()
  private var drawn = false

  init() { pthread_mutex_init(&lock, nil) }
  deinit { pthread_mutex_destroy(&lock) }

  static func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  func update(_ p: AnalysisProgress) {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    let t = Self.now()
    guard t - lastDraw > 0.2 || p.filesDone == p.filesTotal else { return }
    lastDraw = t
    let rate = Int(Double(p.events) / max(t - start, 0.001))
    Terminal.error("\r\u{1B}[2Kfiles \(p.filesDone)/\(p.filesTotal)  events \(p.events)  (\(rate) events/s)")
    drawn = true
  }

  func finish() {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    if drawn { Terminal.error("\r\u{1B}[2K") }
  }
}
