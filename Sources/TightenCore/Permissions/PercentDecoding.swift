/// `%2F` → `/`; other text, and a `%` not followed by two hex digits, unchanged.
func percentDecoded(_ s: String) -> String {
  guard s.contains("%") else { return s }
  var out: [UInt8] = []
  let bytes = Array(s.utf8)
  var i = 0
  func hex(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: nil
    }
  }
  while i < bytes.count {
    if bytes[i] == 0x25, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
      out.append(h << 4 | l)
      i += 3
    } else {
      out.append(bytes[i])
      i += 1
    }
  }
  return String(decoding: out, as: UTF8.self)
}
