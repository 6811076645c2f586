/// What one (eventSource, eventName) pair means in IAM terms.
struct MappedCall {
  /// Interned action names (`s3:GetObject`).
  var actions: [Int32]
  /// The call needs no permission at all.
  var needsNoPermission = false
}

/// Turns a call into the IAM actions it needed.
public struct PermissionMapper: Sendable {
  public init() {}

  func map(eventSource: String, eventName: String, names: Interner) -> MappedCall {
    guard let prefix = Self.servicePrefix(eventSource), !eventName.isEmpty else {
      return MappedCall(actions: [])
    }
    let action = "\(prefix):\(Self.stripVersionSuffix(eventName))"
    return MappedCall(actions: [names.intern(action)])
  }

  func isDenied(_ errorCode: UnsafeBufferPointer<UInt8>) -> Bool {
    guard errorCode.count > 0 else { return false }
    let code = String(decoding: errorCode, as: UTF8.self)
    return code.contains("AccessDenied") || code.contains("UnauthorizedOperation")
  }

  static func servicePrefix(_ eventSource: String) -> String? {
    guard let dot = eventSource.firstIndex(of: ".") else { return nil }
    return String(eventSource[..<dot])
  }

  /// Removes a date-shaped API version suffix: `CreateFunction20150331`,
  /// `GetFunction20150331v2`, `CreateDistribution2020_05_31`. Names that just
  /// end in letters and digits (`CreateEnvironmentEC2`) are left alone.
  public static func stripVersionSuffix(_ name: String) -> String {
    let bytes = Array(name.utf8)
    var end = bytes.count
    // An optional trailing v<digits>.
    var i = end
    while i > 0 && bytes[i - 1] >= 0x30 && bytes[i - 1] <= 0x39 { i -= 1 }
    if i < end && i > 0 && bytes[i - 1] == 0x76 { end = i - 1 }
    // Then YYYYMMDD or YYYY_MM_DD.
    func digits(_ from: Int, _ count: Int) -> Bool {
      from >= 0 && from + count <= bytes.count && (from..<(from + count)).allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
    }
    func plausible(_ y: Int, _ m: Int, _ d: Int) -> Bool {
      (1990...2099).contains(y) && (1...12).contains(m) && (1...31).contains(d)
    }
    func number(_ from: Int, _ count: Int) -> Int { Int(String(decoding: bytes[from..<(from + count)], as: UTF8.self))! }
    if end >= 10 + 1, digits(end - 10, 4), bytes[end - 6] == 0x5F, digits(end - 5, 2), bytes[end - 3] == 0x5F,
      digits(end - 2, 2), plausible(number(end - 10, 4), number(end - 5, 2), number(end - 2, 2))
    {
      return String(decoding: bytes[0..<(end - 10)], as: UTF8.self)
    }
    if end >= 8 + 1, digits(end - 8, 8), !(end - 9 >= 0 && bytes[end - 9] >= 0x30 && bytes[end - 9] <= 0x39),
      plausible(number(end - 8, 4), number(end - 4, 2), number(end - 2, 2))
    {
      return String(decoding: bytes[0..<(end - 8)], as: UTF8.self)
    }
    return name
  }
}
