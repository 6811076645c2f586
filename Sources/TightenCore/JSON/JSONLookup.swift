/// Reads values out of a raw JSON value (a record's `requestParameters`) by a
/// path such as `bucketName`, `instancesSet.items[].instanceId` or
/// `targets[].roleArn`, without building a tree. `[]` walks every element of
/// an array. Strings are decoded; numbers and booleans come as their text.
public enum JSONLookup {
  public struct Path: Sendable, Hashable {
    struct Step: Sendable, Hashable {
      var key: [UInt8]
      var each: Bool
    }
    let steps: [Step]

    public init(_ text: String) {
      steps = text.split(separator: ".").map { part in
        part.hasSuffix("[]")
          ? Step(key: Array(part.dropLast(2).utf8), each: true) : Step(key: Array(part.utf8), each: false)
      }
    }
  }

  /// Where a value wrapped as `{"content": …}` holds its text.
  private static let content = Path("content")

  public static func strings(in json: UnsafeBufferPointer<UInt8>, at path: Path) -> [String] {
    guard let base = json.baseAddress, json.count > 0 else { return [] }
    var out: [String] = []
    var c = JSONCursor(base: base, start: 0, end: json.count, depthLimit: 512)
    let arena = ByteArena(capacity: 64)
    do {
      try collect(&c, path.steps[...], arena, &out)
    } catch {
      return out
    }
    return out
  }

  public static func strings(in json: String, at path: String) -> [String] {
    var json = json
    return json.withUTF8 { strings(in: $0, at: Path(path)) }
  }

  private static func collect(
    _ c: inout JSONCursor, _ steps: ArraySlice<Path.Step>, _ arena: ByteArena, _ out: inout [String]
  ) throws(ScanFailure) {
    let b = try c.peekSignificant()
    guard let step = steps.first else {
      switch b {
      case ASCII.quote:
        let s = try c.string()
        if s.hasEscape {
          arena.reset()
          let f = try decodeEscapes(c.base, start: s.start, count: s.count, into: arena)
          out.append(String(decoding: UnsafeBufferPointer(start: arena.base + f.start, count: f.count), as: UTF8.self))
        } else {
          out.append(String(decoding: UnsafeBufferPointer(start: c.base + s.start, count: s.count), as: UTF8.self))
        }
      case ASCII.openBrace:
        // EC2's query API as CloudTrail records some calls: `{"content": "fl-1", "tag": 1}`.
        try collect(&c, Self.content.steps[...], arena, &out)
      case ASCII.openBracket, ASCII.n:
        try c.skipValue()
      default:
        let start = try c.skipValue()
        out.append(String(decoding: UnsafeBufferPointer(start: c.base + start, count: c.pos - start), as: UTF8.self))
      }
      return
    }
    guard b == ASCII.openBrace else {
      try c.skipValue()
      return
    }
    c.pos += 1
    var first = true
    while let key = try c.nextMember(&first) {
      let matches =
        !key.hasEscape && key.count == step.key.count
        && step.key.withUnsafeBufferPointer { k in
          UnsafeBufferPointer(start: c.base + key.start, count: key.count).elementsEqual(k)
        }
      guard matches else {
        try c.skipValue()
        continue
      }
      if step.each {
        guard try c.peekSignificant() == ASCII.openBracket else {
          try c.skipValue()
          continue
        }
        c.pos += 1
        var firstElement = true
        while try c.nextElement(&firstElement) {
          try collect(&c, steps.dropFirst(), arena, &out)
        }
      } else {
        try collect(&c, steps.dropFirst(), arena, &out)
      }
    }
  }
}
