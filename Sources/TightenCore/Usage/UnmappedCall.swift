/// An event that maps to no known IAM action.
public struct UnmappedCall: Hashable, Comparable, Sendable {
  public var eventSource: String
  public var eventName: String
  /// Why no action is known (`unknown event source`, `no IAM action s3:Foo in the catalogue`).
  public var reason: String

  public static func < (a: UnmappedCall, b: UnmappedCall) -> Bool {
    a.eventSource != b.eventSource ? a.eventSource < b.eventSource : a.eventName < b.eventName
  }
}
