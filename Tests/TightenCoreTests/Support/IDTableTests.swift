import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("IDTable")
struct IDTableTests {
  @Test("finds what a Dictionary finds, keeps the order entries were added in, and grows past many keys")
  func againstDictionary() {
    var random = SeededRandom(seed: 0x51AF_D7ED_558C_CD25)
    var table = IDTable<Accumulator.UsageKey, Int>()
    var reference: [Int: Int] = [:]  // packed key -> count
    var order: [Accumulator.UsageKey] = []
    for _ in 0..<60_000 {
      // Few distinct values per field, as a worker sees them: many repeats and collisions of parts.
      let key = Accumulator.UsageKey(
        action: Int32(random.next(40)), resource: Int32(random.next(300)) - 1, context: Int32(random.next(5)))
      let packed = Int(key.action) << 40 | Int(key.resource + 1) << 8 | Int(key.context)
      if reference[packed] == nil { order.append(key) }
      reference[packed, default: 0] += 1
      table[at: table.index(of: key, orAdd: 0)] += 1
    }
    #expect(table.count == reference.count)
    #expect(table.keys == order)
    for (key, count) in table.entries {
      let packed = Int(key.action) << 40 | Int(key.resource + 1) << 8 | Int(key.context)
      #expect(reference[packed] == count)
    }
    #expect(table.index(of: Accumulator.UsageKey(action: 40, resource: 0, context: 0)) == nil)
    #expect(table.index(of: Accumulator.UsageKey(action: 0, resource: 0, context: 5)) == nil)
  }

  @Test("a context's id is its place in order of first sight, whichever fields tell two contexts apart")
  func contextIDs() {
    var contexts = ContextTable()
    let base = ContextTable.Key(
      principal: 1, session: -1, account: 2, region: 3, sourceIP: 4, invokedBy: -1, passedTo: -1, mfa: -1)
    var keys = [base]
    for field in 0..<8 {
      var k = base
      switch field {
      case 0: k.principal = 9
      case 1: k.session = 9
      case 2: k.account = 9
      case 3: k.region = 9
      case 4: k.sourceIP = 9
      case 5: k.invokedBy = 9
      case 6: k.passedTo = 9
      default: k.mfa = 1
      }
      keys.append(k)
    }
    for (i, key) in keys.enumerated() { #expect(contexts.id(key) == Int32(i)) }
    for (i, key) in keys.enumerated().reversed() { #expect(contexts.id(key) == Int32(i)) }
    #expect(contexts.keys == keys)
  }
}
