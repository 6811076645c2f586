// The only place in TightenCore that imports the C library. Everything else
// goes through `Platform`, so a platform difference is handled once, here.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few services of the C library that the package needs, with Swift names
/// and Swift errors.
///
///     let fd = try Platform.openForReading("trail.json")   // throws Platform.SystemError
///     defer { Platform.close(fd) }
///     let n = try Platform.read(fd, into: buffer, count: 4096)
public enum Platform {
  /// An `errno` value with its text, as swift-system's `Errno` wraps it.
  public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32

    public init(code: Int32) { self.code = code }

    /// The value of `errno` now: call right after the failing call.
    static var current: SystemError { SystemError(code: errno) }

    /// `ENOENT`, for tests and callers that match a missing file.
    public static let noSuchFile = SystemError(code: ENOENT)
    /// `EBADF`: the descriptor is not open.
    public static let badDescriptor = SystemError(code: EBADF)
    /// `EISDIR`: a folder where a file was expected.
    public static let isFolder = SystemError(code: EISDIR)
    /// `EPIPE`: the reader of a pipe went away.
    public static let brokenPipe = SystemError(code: EPIPE)
    /// `EEXIST`: a file is already there.
    public static let exists = SystemError(code: EEXIST)

    /// The C library's text, `No such file or directory`.
    public var description: String { String(cString: strerror(code)) }
  }

  /// What `stat` says about a path: its kind and its identity on the device.
  struct FileStatus: Equatable {
    enum Kind { case directory, regular, other }
    var kind: Kind
    var device: UInt64
    var inode: UInt64
    var size = 0
    /// The modification time, in nanoseconds since 1970.
    var modified: Int64 = 0

    init(kind: Kind, device: UInt64, inode: UInt64) {
      self.kind = kind
      self.device = device
      self.inode = inode
    }

    fileprivate init(_ info: stat) {
      let format = info.st_mode & S_IFMT
      kind = format == S_IFDIR ? .directory : format == S_IFREG ? .regular : .other
      // Darwin's st_dev is signed; the bits are what identify the device.
      device = UInt64(truncatingIfNeeded: info.st_dev)
      inode = UInt64(truncatingIfNeeded: info.st_ino)
      size = Int(info.st_size)
      #if canImport(Darwin)
        let time = info.st_mtimespec
      #else
        let time = info.st_mtim
      #endif
      modified = Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
  }

  /// The working folder, or nil when it cannot be told.
  static func currentDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  // MARK: - Files

  /// Opens a file for reading (close on exec).
  ///
  /// The path is the text's UTF-8 bytes; when no such file exists and the text
  /// is the shown form of a name that is not UTF-8 (`RawPath.display`), the
  /// file of the bytes it shows.
  static func openForReading(_ path: String) throws(SystemError) -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd >= 0 { return fd }
    let error = SystemError.current
    guard error == .noSuchFile, let raw = RawPath(shown: path) else { throw error }
    return try openForReading(raw)
  }

  /// Opens a file for reading by its bytes (close on exec).
  static func openForReading(_ path: RawPath) throws(SystemError) -> Int32 {
    let fd = withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { throw .current }
    return fd
  }

  /// Reads up to `count` bytes, again when a signal interrupts; 0 at the end of the file.
  @inline(__always)
  static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) throws(SystemError) -> Int {
    while true {
      let n = systemRead(fd, buffer, count)
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw .current
    }
  }

  static func close(_ fd: Int32) {
    _ = systemClose(fd)
  }

  /// Whether an open descriptor is a folder (false when `fstat` fails).
  static func isDirectory(_ fd: Int32) -> Bool {
    var info = stat()
    return fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// `stat` of a path, following symbolic links; a path given as text is
  /// found as `openForReading(_:)` finds it.
  static func status(_ path: String) throws(SystemError) -> FileStatus {
    var info = stat()
    if stat(path, &info) == 0 { return FileStatus(info) }
    let error = SystemError.current
    guard error == .noSuchFile, let raw = RawPath(shown: path) else { throw error }
    return try status(raw)
  }

  /// `stat` of a path given by its bytes, following symbolic links.
  static func status(_ path: RawPath) throws(SystemError) -> FileStatus {
    var info = stat()
    guard withCString(path, { stat($0, &info) }) == 0 else { throw .current }
    return FileStatus(info)
  }

  /// The names in a folder, as bytes, in the order the system gives them,
  /// without `.` and `..`, each with its `stat` (following symbolic links) or
  /// why there is none: each found from the open folder, not by walking the
  /// whole path again.
  static func entries(_ folder: RawPath) throws(SystemError) -> [(
    name: [UInt8], status: Result<FileStatus, SystemError>
  )] {
    guard let dir = withCString(folder, { opendir($0) }) else { throw .current }
    defer { closedir(dir) }
    let fd = dirfd(dir)
    var entries: [(name: [UInt8], status: Result<FileStatus, SystemError>)] = []
    while let entry = readdir(dir) {
      // `d_name` is a fixed C array (256 bytes on Linux, 1024 on Darwin), NUL-terminated.
      let status = withUnsafeBytes(of: entry.pointee.d_name) {
        raw -> (name: [UInt8], status: Result<FileStatus, SystemError>)? in
        let name = Array(raw.prefix(while: { $0 != 0 }))
        if name == [0x2E] || name == [0x2E, 0x2E] { return nil }  // . and ..
        var info = stat()
        let found = raw.withMemoryRebound(to: CChar.self) { fstatat(fd, $0.baseAddress!, &info, 0) } == 0
        return (name, found ? .success(FileStatus(info)) : .failure(.current))
      }
      if let status { entries.append(status) }
    }
    return entries
  }

  /// Calls `body` with the path's bytes as a NUL-terminated C string.
  private static func withCString<R>(_ path: RawPath, _ body: (UnsafePointer<CChar>) -> R) -> R {
    (path.bytes + [0]).withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
    }
  }

  // MARK: - Memory

  /// Whether `needle` occurs in `haystack`: `memchr` for its first byte, `memcmp` for the rest.
  static func contains(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = haystack.baseAddress, let first = needle.first else { return false }
    return needle.withUnsafeBufferPointer { n in
      var from = 0
      while haystack.count - from >= n.count,
        let found = findByte(first, in: base + from, count: haystack.count - from - n.count + 1)
      {
        if memcmp(found, n.baseAddress!, n.count) == 0 { return true }
        from = found - base + 1
      }
      return false
    }
  }

  /// Whether every byte is below 0x80 (ASCII): eight bytes at a time.
  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var i = 0
    var any: UInt64 = 0
    while i + 8 <= bytes.count {
      any |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      i += 8
    }
    while i < bytes.count {
      any |= UInt64(base[i])
      i += 1
    }
    return any & 0x8080_8080_8080_8080 == 0
  }

  /// The first `byte` in `count` bytes at `p`, or nil.
  @inline(__always)
  static func findByte(_ byte: UInt8, in p: UnsafePointer<UInt8>, count: Int) -> UnsafePointer<UInt8>? {
    guard let found = memchr(p, Int32(byte), count) else { return nil }
    return UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
  }

  /// `memcmp`: negative, zero or positive as `a` sorts before, with or after `b`.
  @inline(__always)
  static func compare(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Int32 {
    memcmp(a, b, count)
  }

  // MARK: - Process

  /// Processors online (at least 1).
  public static var processorCount: Int {
    let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    return n > 0 ? n : 1
  }

  /// Whether a descriptor (0, 1, 2, …) is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool {
    isatty(fd) == 1
  }

  /// Writes every byte to a descriptor, again after partial writes and
  /// interruptions.
  ///
  /// - Throws: `SystemError` when the descriptor refuses the bytes (closed,
  ///   a pipe whose reader left, a full disk). What was written before stays.
  public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws(SystemError) {
    guard var p = bytes.baseAddress else { return }
    var left = bytes.count
    while left > 0 {
      let n = systemWrite(fd, p, left)
      if n < 0 {
        if errno == EINTR { continue }
        throw .current
      }
      if n == 0 { throw SystemError(code: EIO) }
      p += n
      left -= n
    }
  }

  /// Seconds on a clock that only goes forward, for measuring durations.
  public static func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// This process's peak resident memory in megabytes.
  ///
  /// On Linux `VmHWM` in `/proc/self/status`: it belongs to the address space
  /// exec made, whereas `ru_maxrss` carries over the high-water mark of the
  /// process that forked us. Elsewhere `getrusage`.
  /// Runs `body` as the process exits, whichever way it exits normally.
  public static func atExit(_ body: @escaping @convention(c) () -> Void) {
    atexit(body)
  }

  public static func peakResidentMegabytes() -> Int {
    if let f = fopen("/proc/self/status", "r") {
      defer { fclose(f) }
      var line = [CChar](repeating: 0, count: 256)
      while fgets(&line, Int32(line.count), f) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmHWM:"), let kb = Int(text.dropFirst(6).filter(\.isNumber)) { return kb / 1024 }
      }
    }
    var usage = rusage()
    #if canImport(Glibc)
      getrusage(RUSAGE_SELF.rawValue, &usage)
      return usage.ru_maxrss / 1024  // kilobytes
    #elseif canImport(Musl)
      getrusage(RUSAGE_SELF, &usage)
      return usage.ru_maxrss / 1024  // kilobytes
    #else
      getrusage(RUSAGE_SELF, &usage)
      return usage.ru_maxrss / (1024 * 1024)  // bytes on Darwin
    #endif
  }

  // MARK: - Tools (the fuzzer)

  /// A file's bytes, read 64 KiB at a time until more than `limit` are in
  /// hand or the file ends; nil when it cannot be opened.
  public static func readFile(_ path: String, limit: Int) -> [UInt8]? {
    guard let fd = try? openForReading(path) else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while out.count <= limit {
      let n = chunk.withUnsafeMutableBytes { (try? read(fd, into: $0.baseAddress!, count: $0.count)) ?? 0 }
      if n <= 0 { break }
      out += chunk[0..<n]
    }
    return out
  }

  /// Creates (or empties) a file and writes `bytes` to it; false when it cannot.
  @discardableResult
  public static func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return (try? writeAll(bytes, to: fd)) != nil
  }

  /// Creates (or empties) a file named by its bytes and writes `bytes` to it; false when it cannot.
  @discardableResult
  public static func writeFile(_ path: RawPath, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let fd = withCString(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return (try? writeAll(bytes, to: fd)) != nil
  }

  /// Makes a folder and the folders above it that are missing (mode 755),
  /// or says why it cannot: the folder is there when this returns.
  public static func makeFolders(_ path: String) throws(SystemError) {
    var made = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      made += "/" + part
      if mkdir(made, 0o755) != 0 && errno != EEXIST { throw .current }
    }
    var info = stat()
    guard stat(made, &info) == 0 else { throw .current }
    guard info.st_mode & S_IFMT == S_IFDIR else { throw SystemError(code: ENOTDIR) }
  }

  /// Makes a folder (mode 755); one that exists already is fine.
  public static func makeDirectory(_ path: String) {
    _ = mkdir(path, 0o755)
  }

  /// Calls `handler` when the process crashes: SIGSEGV, SIGILL, SIGTRAP,
  /// SIGABRT, SIGBUS or SIGFPE.
  public static func onCrash(_ handler: @convention(c) (Int32) -> Void) {
    for s in [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE] { _ = signal(s, handler) }
  }

  /// Restores a signal's default action and raises it: the process dies of it.
  public static func raiseWithDefaultAction(_ number: Int32) {
    _ = signal(number, SIG_DFL)
    _ = raise(number)
  }

  /// Ends the process at once, without running Swift teardown.
  public static func exit(_ code: Int32) -> Never {
    systemExit(code)
  }
}

// Inside `Platform` the names `read`, `write`, `close` and `exit` are its own;
// out here they are the C library's.
@inline(__always) private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}

@inline(__always) private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}

private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

private func systemExit(_ code: Int32) -> Never { exit(code) }

// MARK: - Writing files users keep

extension Platform {
  /// What `lstat` says of a path itself (a symbolic link is not followed): nil when nothing is there.
  static func linkStatus(_ path: String) throws(SystemError) -> LinkStatus? {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return nil }
      throw .current
    }
    let format = info.st_mode & S_IFMT
    return LinkStatus(
      isLink: format == S_IFLNK, isRegular: format == S_IFREG, mode: UInt32(info.st_mode & 0o7777),
      id: FileIdentity(device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino))
    )
  }

  struct LinkStatus {
    var isLink: Bool
    var isRegular: Bool
    var mode: UInt32
    var id: FileIdentity
  }

  /// The identity of an open file.
  static func identity(_ fd: Int32) throws(SystemError) -> (id: FileIdentity, isRegular: Bool, size: Int) {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .current }
    return (
      FileIdentity(device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino)),
      (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size)
    )
  }

  /// Creates a file that must not exist yet, never through a symbolic link (mode 0644 less the umask).
  static func createNew(_ path: String, mode: UInt32 = 0o644) throws(SystemError) -> Int32 {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
    guard fd >= 0 else { throw .current }
    return fd
  }

  /// Opens a file to append to, creating it if needed; fails on a symbolic link.
  static func openForAppending(_ path: String) throws(SystemError) -> Int32 {
    let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, mode_t(0o644))
    guard fd >= 0 else { throw .current }
    return fd
  }

  /// Sets the permission bits of an open file.
  static func setMode(_ fd: Int32, _ mode: UInt32) {
    _ = fchmod(fd, mode_t(mode))
  }

  /// Flushes an open file to the disk.
  static func sync(_ fd: Int32) throws(SystemError) {
    guard fsync(fd) == 0 else { throw .current }
  }

  /// Flushes a folder's entries (a rename in it) to the disk; failures are ignored, as not every file system can.
  static func syncFolder(_ path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    _ = systemClose(fd)
  }

  /// Renames atomically within one file system.
  static func rename(_ from: String, _ to: String) throws(SystemError) {
    guard systemRename(from, to) == 0 else { throw .current }
  }

  /// An environment variable's value, if it is set.
  public static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }

  /// Removes a file; a missing one is not an error.
  static func remove(_ path: String) {
    _ = unlink(path)
  }

  /// Removes a file (or a link, not what it points to); true when it is gone.
  static func removeFile(_ path: String) -> Bool {
    unlink(path) == 0 || errno == ENOENT
  }

  /// Waits for an exclusive advisory lock on an open file, held until it is closed.
  static func lock(_ fd: Int32) throws(SystemError) {
    while flock(fd, LOCK_EX) != 0 {
      if errno == EINTR { continue }
      throw .current
    }
  }

  static var processID: Int32 { getpid() }

  /// Cuts an open file back to `size` bytes (an append that failed half-way).
  static func truncate(_ fd: Int32, to size: Int) {
    _ = ftruncate(fd, off_t(size))
  }

  /// Reads from the current offset to the end of the file, at most `limit` bytes.
  static func readAll(_ fd: Int32, limit: Int) throws(SystemError) -> [UInt8] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { buffer.deallocate() }
    var out: [UInt8] = []
    while out.count < limit {
      let n = try read(fd, into: buffer.baseAddress!, count: min(buffer.count, limit - out.count))
      if n == 0 { break }
      out.append(contentsOf: buffer[..<n])
    }
    return out
  }

  /// Writes every byte of an array.
  static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(SystemError) {
    var failure: SystemError? = nil
    bytes.withUnsafeBytes { raw in
      do throws(SystemError) { try writeAll(raw, to: fd) } catch { failure = error }
    }
    if let failure { throw failure }
  }
}

private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
