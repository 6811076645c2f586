/// A key made of a few interned ids, hashed by multiplying them together
/// (`IDHash`) rather than by `Hasher`, whose SipHash costs more per lookup
/// than the rest of a lookup: a worker looks up several such keys per record.
protocol IDKey: Equatable {
  var idHash: UInt64 { get }
}

/// Mixes 64-bit words into a hash: the high and low halves of their 128-bit
/// product (the "mum" step of wyhash), so every bit of a key moves the hash.
enum IDHash {
  @inline(__always)
  static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let m = (a ^ 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: b ^ 0xD6E8_FEB8_6659_FD93)
    return m.high ^ m.low
  }

  /// Drawn once per process, as `Hasher`'s seed is: the ids come from the
  /// input (their order of first sight), and a table places a key by its
  /// hash with the seed mixed in, so a trail cannot be made to pile its keys
  /// into one run of slots. Tables keep their entries in the order they were
  /// added, so the seed never shows in an output.
  static let seed = UInt64.random(in: .min ... .max)

  /// Two 32-bit ids as one word.
  @inline(__always)
  static func pack(_ a: Int32, _ b: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
  }
}

/// A hash table from `IDKey`s to values, its entries kept in the order they
/// were added (`keys[i]` holds `values[i]`): open addressing over slots
/// that hold an entry's index + 1, at most half full.
///
///     var table = IDTable<Key, Int>()
///     let i = table.index(of: key, orAdd: 0)
///     table[at: i] += 1
struct IDTable<Key: IDKey, Value> {
  private(set) var keys: [Key] = []
  private(set) var values: [Value] = []
  private var slots: [UInt32] = Array(repeating: 0, count: 16)
  /// 64 minus the slots' bits: a slot is the top bits of the seeded hash times an odd constant.
  private var shift: UInt64 = 60
  private let seed = IDHash.seed

  init() {}

  var count: Int { keys.count }

  /// Where `key`'s entry is, or the empty slot where it would go.
  @inline(__always)
  private func probe(_ key: Key) -> (slot: Int, index: Int?) {
    let mask = slots.count &- 1
    var slot = Int(truncatingIfNeeded: ((key.idHash ^ seed) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    while true {
      let entry = slots[slot]
      if entry == 0 { return (slot, nil) }
      if keys[Int(entry) &- 1] == key { return (slot, Int(entry) &- 1) }
      slot = (slot &+ 1) & mask
    }
  }

  /// The index of `key`'s entry, or nil.
  @inline(__always)
  func index(of key: Key) -> Int? { probe(key).index }

  /// The index of `key`'s entry, added with `value` when there is none.
  @inline(__always)
  mutating func index(of key: Key, orAdd value: @autoclosure () -> Value) -> Int {
    let (slot, found) = probe(key)
    if let found { return found }
    let index = keys.count
    keys.append(key)
    values.append(value())
    slots[slot] = UInt32(index + 1)
    if keys.count * 2 > slots.count { grow() }
    return index
  }

  /// The value of the entry at `index`.
  subscript(at index: Int) -> Value {
    get { values[index] }
    set { values[index] = newValue }
  }

  /// The entries, in the order they were added.
  var entries: Zip2Sequence<[Key], [Value]> { zip(keys, values) }

  mutating func removeAll() {
    self = IDTable()
  }

  /// Doubles the slots and places every entry again (each key is new to the others).
  private mutating func grow() {
    slots = Array(repeating: 0, count: slots.count * 2)
    shift -= 1
    for (i, key) in keys.enumerated() { slots[probe(key).slot] = UInt32(i + 1) }
  }
}

extension Int32: IDKey {
  var idHash: UInt64 { IDHash.mix(UInt64(UInt32(bitPattern: self)), 0) }
}
