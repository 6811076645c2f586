/// A value too large to hold, skipped as it streams past: just enough state
/// (nesting depth, inside a string, after a backslash) to find where it ends.
///
///     bytes fed to `skip`      result
///     {"a":"}                  nil: the value goes on (depth 1, inside a string)
///     x"} {"b":1}              3: it ends after `x"}`
///
/// Containers end at their closing bracket, strings at their closing quote.
struct OversizedValue: Equatable {
  var depth = 0
  var inString = false
  var escape = false
  /// Where the scan goes on once the value is past.
  let then: ScanMode.Resume

  init(then: ScanMode.Resume) {
    self.then = then
  }

  /// Reads on through `bytes`. Returns how many of them the value takes when
  /// it ends among them, nil when it goes on past them.
  mutating func skip(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    // Locals, not stored properties, in the per-byte loop.
    var depth = self.depth
    var inString = self.inString
    var escape = self.escape
    defer { (self.depth, self.inString, self.escape) = (depth, inString, escape) }
    var i = 0
    while i < bytes.count {
      let c = bytes[i]
      i += 1
      if inString {
        if escape {
          escape = false
        } else if c == ASCII.backslash {
          escape = true
        } else if c == ASCII.quote {
          inString = false
          if depth == 0 { return i }
        }
      } else if c == ASCII.quote {
        inString = true
      } else if c == ASCII.openBrace || c == ASCII.openBracket {
        depth += 1
      } else if c == ASCII.closeBrace || c == ASCII.closeBracket {
        depth -= 1
        if depth <= 0 { return i }
      }
    }
    return nil
  }
}
