/// How often a permission was used, and when.
///
/// The times are kept as plain integers (no time: `Int64.max` first and
/// `Int64.min` last), so a tally entry is 32 bytes and adding a call needs no
/// branch on whether a time was seen yet.
public struct UsageStats: Sendable, Equatable {
  public var count = 0
  /// Calls refused for want of this permission.
  public var denied = 0
  private var first = Int64.max
  private var last = Int64.min

  public var firstSeen: Int64? {
    get { first == .max ? nil : first }
    set { first = newValue ?? .max }
  }

  public var lastSeen: Int64? {
    get { last == .min ? nil : last }
    set { last = newValue ?? .min }
  }

  public init(count: Int = 0, denied: Int = 0, firstSeen: Int64? = nil, lastSeen: Int64? = nil) {
    self.count = count
    self.denied = denied
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
  }

  @inline(__always)
  public mutating func add(denied isDenied: Bool, at time: Int64?) {
    count += 1
    if isDenied { denied += 1 }
    if let time {
      first = min(first, time)
      last = max(last, time)
    }
  }

  public mutating func merge(_ other: UsageStats) {
    count += other.count
    denied += other.denied
    first = min(first, other.first)
    last = max(last, other.last)
  }
}
