/// Why a scan of the bytes in hand stopped.
enum ScanFailure: Error, Equatable {
  /// The value goes on past the bytes in hand: read more and try again.
  case incomplete
  /// The bytes are not JSON; `offset` is an index into the scanned buffer.
  case malformed(offset: Int, reason: String)
}
