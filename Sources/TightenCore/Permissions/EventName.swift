/// CloudTrail event names, which are API operation names, sometimes with the
/// API version they were called through appended.
enum EventName {
  /// Removes a date-shaped API version suffix: `CreateFunction20150331`,
  /// `GetFunction20150331v2`, `CreateDistribution2020_05_31`. Names that just
  /// end in letters and digits (`CreateEnvironmentEC2`) are left alone.
  static func withoutVersionSuffix(_ name: String) -> String {
    let bytes = Array(name.utf8)
    var end = bytes.count
    var i = end
    while i > 0 && isDigit(bytes[i - 1]) { i -= 1 }
    if i < end && i > 0 && bytes[i - 1] == 0x76 { end = i - 1 }  // v2
    func digits(_ from: Int, _ count: Int) -> Bool {
      from >= 0 && from + count <= end && (from..<(from + count)).allSatisfy { isDigit(bytes[$0]) }
    }
    func number(_ from: Int, _ count: Int) -> Int {
      bytes[from..<(from + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
    func plausible(_ y: Int, _ m: Int, _ d: Int) -> Bool {
      (1990...2099).contains(y) && (1...12).contains(m) && (1...31).contains(d)
    }
    if end > 10, digits(end - 10, 4), bytes[end - 6] == 0x5F, digits(end - 5, 2), bytes[end - 3] == 0x5F,
      digits(end - 2, 2), plausible(number(end - 10, 4), number(end - 5, 2), number(end - 2, 2))
    {
      return String(decoding: bytes[0..<(end - 10)], as: UTF8.self)
    }
    if end > 8, digits(end - 8, 8), !isDigit(bytes[end - 9]),
      plausible(number(end - 8, 4), number(end - 4, 2), number(end - 2, 2))
    {
      return String(decoding: bytes[0..<(end - 8)], as: UTF8.self)
    }
    return name
  }
}

/// Whether `b` is an ASCII digit.
@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
