/// IAM's wildcard matching: `*` any run of characters, `?` exactly one.
enum Glob {
  /// Whether `pattern` matches `text` (bytes; case folded first when asked).
  static func matches(_ pattern: String, _ text: String, ignoringCase: Bool = false) -> Bool {
    var p = ignoringCase ? pattern.lowercased() : pattern
    var t = ignoringCase ? text.lowercased() : text
    return p.withUTF8 { p in t.withUTF8 { t in match(p, t, literalText: true) } }
  }

  /// Whether every string `observed` stands for is matched by `pattern`:
  /// `arn:aws:ec2:*:*:vpc/*` covers `arn:aws:ec2:us-east-1:1:vpc/*`, but
  /// `arn:aws:s3:::b/k*` does not cover `arn:aws:s3:::b/*`.
  static func covers(_ pattern: String, _ observed: String) -> Bool {
    var p = pattern
    var o = observed
    return p.withUTF8 { p in
      o.withUTF8 { o in match(p, o, literalText: !o.contains(0x2A) && !o.contains(0x3F)) }
    }
  }

  /// Iterative wildcard matching with one backtrack point (linear for `*`-only patterns).
  /// When the text has wildcards of its own, a text `*` is matched only by a pattern `*`,
  /// and a text `?` by a pattern `?` or `*`.
  private static func match(
    _ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>, literalText: Bool
  ) -> Bool {
    if literalText {
      var (pi, ti) = (0, 0)
      var star = -1
      var mark = 0
      while ti < t.count {
        if pi < p.count && (p[pi] == 0x3F || p[pi] == t[ti]) {
          pi += 1
          ti += 1
        } else if pi < p.count && p[pi] == 0x2A {
          star = pi
          mark = ti
          pi += 1
        } else if star >= 0 {
          pi = star + 1
          mark += 1
          ti = mark
        } else {
          return false
        }
      }
      while pi < p.count && p[pi] == 0x2A { pi += 1 }
      return pi == p.count
    }
    // Subsumption: dynamic programming over (pattern, text) positions.
    var row = [Bool](repeating: false, count: t.count + 1)
    row[0] = true
    for pc in p {
      var next = [Bool](repeating: false, count: t.count + 1)
      if pc == 0x2A {
        var any = false
        for j in 0...t.count {
          any = any || row[j]
          next[j] = any
        }
      } else {
        for j in 0..<t.count where row[j] {
          let tc = t[j]
          if tc == 0x2A { continue }  // only a pattern * covers a text *
          if pc == 0x3F || pc == tc { next[j + 1] = true }
        }
      }
      row = next
    }
    return row[t.count]
  }
}
