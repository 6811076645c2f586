/// An IPv4 or IPv6 address, as 16 bytes (IPv4 mapped into IPv6).
struct IPAddress: Equatable {
  var bytes: [UInt8]
  var isV4: Bool

  init?(_ text: String) {
    if text.contains(":") {
      guard let b = IPAddress.parseV6(text) else { return nil }
      bytes = b
      isV4 = false
    } else {
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count == 4 else { return nil }
      var b = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
      for part in parts {
        guard let v = UInt8(part) else { return nil }
        b.append(v)
      }
      bytes = b
      isV4 = true
    }
  }

  static func parseV6(_ text: String) -> [UInt8]? {
    let halves = text.pieces(separatedBy: "::")
    guard halves.count <= 2 else { return nil }
    func groups(_ s: String) -> [UInt16]? {
      if s.isEmpty { return [] }
      var out: [UInt16] = []
      for g in s.split(separator: ":", omittingEmptySubsequences: false) {
        guard let v = UInt16(g, radix: 16) else { return nil }
        out.append(v)
      }
      return out
    }
    guard let head = groups(halves[0]) else { return nil }
    var all = head
    if halves.count == 2 {
      guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
      all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }
    guard all.count == 8 else { return nil }
    return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
  }
}

/// A CIDR range (`203.0.113.0/24`, `2001:db8::/32`); a bare address is a /32 or /128.
struct IPNetwork {
  var address: IPAddress
  var prefix: Int

  init?(_ text: String) {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let address = IPAddress(String(parts[0])) else { return nil }
    self.address = address
    if parts.count == 2 {
      guard let p = Int(parts[1]), p >= 0, p <= (address.isV4 ? 32 : 128) else { return nil }
      prefix = address.isV4 ? p + 96 : p
    } else {
      prefix = 128
    }
  }

  func contains(_ other: IPAddress) -> Bool {
    var bits = prefix
    for i in 0..<16 {
      if bits <= 0 { return true }
      let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
      if address.bytes[i] & mask != other.bytes[i] & mask { return false }
      bits -= 8
    }
    return true
  }
}
