/// How often a permission was used, and when.
public struct UsageStats: Sendable, Equatable {
  public var count = 0
  /// Calls refused for want of this permission.
  public var denied = 0
  public var firstSeen: Int64? = nil
  public var lastSeen: Int64? = nil

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
      if firstSeen == nil || time < firstSeen! { firstSeen = time }
      if lastSeen == nil || time > lastSeen! { lastSeen = time }
    }
  }

  public mutating func merge(_ other: UsageStats) {
    count += other.count
    denied += other.denied
    if let t = other.firstSeen, firstSeen == nil || t < firstSeen! { firstSeen = t }
    if let t = other.lastSeen, lastSeen == nil || t > lastSeen! { lastSeen = t }
  }
}
