/// One permission used in one request context.
public struct UsageRecord: Sendable, Equatable {
  public var permission: Permission
  public var context: CallContext
  public var stats: UsageStats
}
