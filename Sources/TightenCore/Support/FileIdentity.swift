/// A file's identity on its device: two paths with the same identity are one file.
public struct FileIdentity: Hashable, Sendable {
  public var device: UInt64
  public var inode: UInt64

  public init(device: UInt64, inode: UInt64) {
    self.device = device
    self.inode = inode
  }

  /// The identity of the file a path leads to (links followed); nil when there is none.
  public init?(path: String) {
    guard let status = try? Platform.status(path) else { return nil }
    self.init(device: status.device, inode: status.inode)
  }
}
