/// Whether the `n` bytes at `p` are the literal's, as when matching a member name.
@inline(__always)
func same(_ p: UnsafePointer<UInt8>, _ n: Int, _ literal: StaticString) -> Bool {
  n == literal.utf8CodeUnitCount && Platform.compare(p, literal.utf8Start, count: n) == 0
}
