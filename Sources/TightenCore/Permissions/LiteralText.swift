import CScan

/// A trail's own strings in IAM's resource syntax.
///
/// In a policy's `Resource`, `*` and `?` are wildcards and `${…}` a variable;
/// IAM writes the characters themselves as `${*}`, `${?}` and `${$}` (IAM User
/// Guide, "IAM policy elements: Variables and tags", special characters). A
/// name a trail records (an S3 key `logs/*/x`) is literal, so every resource
/// built from trail text spells those characters escaped; the mapper's own
/// wildcards (`vpc/*`, a secret's `-??????`) stay wildcards.
enum LiteralText {
  /// `s` with `*`, `?` and `$` escaped; `s` itself when it has none (the usual case).
  static func escaped(_ s: String) -> String {
    guard s.utf8.contains(where: isSpecial) else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count + 8)
    for character in s {
      switch character {
      case "*": out += "${*}"
      case "?": out += "${?}"
      case "$": out += "${$}"
      default: out.append(character)
      }
    }
    return out
  }

  /// Whether bytes hold a character `escaped` would change.
  static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    return Platform.findByte(0x2A, in: base, count: bytes.count) != nil
      || Platform.findByte(0x3F, in: base, count: bytes.count) != nil
      || Platform.findByte(0x24, in: base, count: bytes.count) != nil
  }

  /// Whether `*` or `?` appears outside the escapes `${*}`, `${?}` and `${$}` that spell a trail's own characters:
  /// whether `bytes`, in IAM's resource syntax, are a pattern.
  static func hasWildcard(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    var from = 0
    while from < bytes.count {
      let at = from + tighten_find_wildcard(base + from, bytes.count - from)
      guard at < bytes.count else { return false }
      // `${*}` or `${?}`: the character itself, as a trail spelled it.
      let escaped =
        at >= 2 && at + 1 < bytes.count && base[at - 2] == 0x24 && base[at - 1] == 0x7B && base[at + 1] == 0x7D
      if !escaped { return true }
      from = at + 1
    }
    return false
  }

  @inline(__always) static func isSpecial(_ byte: UInt8) -> Bool { byte == 0x2A || byte == 0x3F || byte == 0x24 }
}
