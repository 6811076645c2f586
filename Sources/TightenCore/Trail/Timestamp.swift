/// Seconds since 1970 (UTC), parsed from the ISO 8601 forms CloudTrail and
/// its users write, fast enough to run on every record.
public enum Timestamp {
  /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]Z`, or the same with a
  /// `+HH:MM` offset. Returns nil for anything else.
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    let n = bytes.count
    guard n >= 10, let p = bytes.baseAddress else { return nil }
    if n == 20, let seconds = canonical(p) { return seconds }
    func digits(_ at: Int, _ count: Int) -> Int? {
      guard at + count <= n else { return nil }
      var v = 0
      for i in at..<(at + count) {
        let d = Int(p[i]) &- 0x30
        guard d >= 0 && d <= 9 else { return nil }
        v = v * 10 + d
      }
      return v
    }
    guard let year = digits(0, 4), p[4] == 0x2D, let month = digits(5, 2), p[7] == 0x2D,
      let day = digits(8, 2), (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var seconds = Int64(daysFromCivil(year, month, day)) * 86_400
    if n == 10 { return seconds }
    guard p[10] == 0x54 || p[10] == 0x74 || p[10] == 0x20, let hour = digits(11, 2), n > 13, p[13] == 0x3A,
      let minute = digits(14, 2), hour < 24, minute < 60
    else { return nil }
    seconds += Int64(hour * 3600 + minute * 60)
    var i = 16
    if i < n && p[i] == 0x3A {
      guard let second = digits(17, 2), second <= 60 else { return nil }
      seconds += Int64(second)
      i = 19
      if i < n && p[i] == 0x2E {
        i += 1
        while i < n && p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
      }
    }
    if i == n { return seconds }  // no zone: UTC, as the CLI says
    if (p[i] == 0x5A || p[i] == 0x7A) && i + 1 == n { return seconds }
    if p[i] == 0x2B || p[i] == 0x2D, let oh = digits(i + 1, 2) {
      var om = 0
      var j = i + 3
      if j < n && p[j] == 0x3A { j += 1 }
      if j < n {
        guard let m = digits(j, 2), j + 2 == n else { return nil }
        om = m
      } else if j != n {
        return nil
      }
      let offset = Int64(oh * 3600 + om * 60)
      return p[i] == 0x2B ? seconds - offset : seconds + offset
    }
    return nil
  }

  /// `YYYY-MM-DDTHH:MM:SSZ`, the form CloudTrail writes every `eventTime`
  /// in, read without a loop: each digit's byte less `0`, as a byte, is
  /// above 9 for any other byte. Nil when the 20 bytes at `p` are not in
  /// that form or out of range, and `parse` reads them the general way.
  @inline(__always)
  private static func canonical(_ p: UnsafePointer<UInt8>) -> Int64? {
    @inline(__always) func digit(_ i: Int) -> UInt8 { p[i] &- 0x30 }
    let highest = max(
      max(max(digit(0), digit(1)), max(digit(2), digit(3))),
      max(max(digit(5), digit(6)), max(digit(8), digit(9))),
      max(max(digit(11), digit(12)), max(digit(14), digit(15))),
      max(digit(17), digit(18)))
    guard highest <= 9, p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54, p[13] == 0x3A, p[16] == 0x3A, p[19] == 0x5A
    else { return nil }
    @inline(__always) func two(_ i: Int) -> Int { Int(digit(i)) &* 10 &+ Int(digit(i &+ 1)) }
    let (year, month, day) = (two(0) &* 100 &+ two(2), two(5), two(8))
    let (hour, minute, second) = (two(11), two(14), two(17))
    guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
    return Int64(daysFromCivil(year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
  }

  public static func parse(_ text: String) -> Int64? {
    var text = text
    return text.withUTF8 { parse($0) }
  }

  /// `2023-07-10T12:40:00Z`.
  public static func format(_ seconds: Int64) -> String {
    String(unsafeUninitializedCapacity: maxFormattedCount) { write(seconds, to: $0) }
  }

  /// Appends `2023-07-10T12:40:00Z` to an arena: the same text as `format`,
  /// without making a `String` (report writers).
  static func format(_ seconds: Int64, into arena: ByteArena) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxFormattedCount) { buffer in
      let n = write(seconds, to: buffer)
      arena.append(buffer.baseAddress!, count: n)
    }
  }

  /// Days since 1970-01-01 of an epoch second (floor, also before 1970).
  @inline(__always)
  static func dayNumber(_ seconds: Int64) -> Int64 {
    seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
  }

  /// The longest text `format` makes: a 12-digit year with its sign, and 15 bytes more.
  static let maxFormattedCount = 32

  /// Writes the text of `format` and returns its length (at most
  /// `maxFormattedCount`). The year has at least four digits, zero-padded in
  /// front, as `String(year)` padded would.
  static func write(_ seconds: Int64, to out: UnsafeMutableBufferPointer<UInt8>) -> Int {
    let days = Int(dayNumber(seconds))
    let rest = Int(seconds - Int64(days) * 86_400)
    let (y, m, d) = civilFromDays(days)
    var i = 0
    func put(_ byte: UInt8) {
      out[i] = byte
      i += 1
    }
    func two(_ v: Int) {
      put(UInt8(v / 10) + 0x30)
      put(UInt8(v % 10) + 0x30)
    }
    var digitCount = 1
    var v = y.magnitude
    while v >= 10 {
      v /= 10
      digitCount += 1
    }
    let yearCount = digitCount + (y < 0 ? 1 : 0)
    for _ in yearCount..<max(yearCount, 4) { put(0x30) }
    if y < 0 { put(0x2D) }
    v = y.magnitude
    for k in stride(from: i + digitCount - 1, through: i, by: -1) {
      out[k] = UInt8(v % 10) + 0x30
      v /= 10
    }
    i += digitCount
    put(0x2D)
    two(m)
    put(0x2D)
    two(d)
    put(0x54)
    two(rest / 3600)
    put(0x3A)
    two(rest / 60 % 60)
    put(0x3A)
    two(rest % 60)
    put(0x5A)
    return i
  }

  // Howard Hinnant's days_from_civil and civil_from_days.
  static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}
