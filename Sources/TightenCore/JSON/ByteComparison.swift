/// Whether the `n` bytes at `p` are the literal's, as when matching a member name.
@inline(__always)
func same(_ p: UnsafePointer<UInt8>, _ n: Int, _ literal: StaticString) -> Bool {
  n == literal.utf8CodeUnitCount && Platform.compare(p, literal.utf8Start, count: n) == 0
}

/// Whether the `n` bytes at `a` and at `b` are equal. The strings a tally
/// compares (a field with its last value, a string with the one its hash
/// found) are mostly under 64 bytes: those are compared here eight bytes at
/// a time, the last word overlapping the one before, without a call; longer
/// ones by `memcmp`.
@inline(__always)
func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
  @inline(__always) func word(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
    UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
  }
  if n < 8 {
    var i = 0
    while i < n {
      if a[i] != b[i] { return false }
      i &+= 1
    }
    return true
  }
  if n > 64 { return Platform.compare(a, b, count: n) == 0 }
  var i = 0
  while i &+ 8 < n {
    if word(a, i) != word(b, i) { return false }
    i &+= 8
  }
  return word(a, n &- 8) == word(b, n &- 8)
}
