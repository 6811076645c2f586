/// An ARN template of the Service Authorization Reference, such as
/// `arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}`.
///
/// It can tell whether an ARN is of its type, and build an ARN from values;
/// a value that is not known becomes `*`, so the result is as specific as the
/// evidence allows (`arn:aws:ec2:us-east-1:111122223333:vpc/*` for a VPC not
/// yet created).
public struct ArnTemplate: Sendable, Equatable, CustomStringConvertible {
  enum Part: Sendable, Equatable {
    case literal([UInt8])
    case variable(String)
  }

  let parts: [Part]
  public let text: String
  /// The parts again, flattened for matching without reference counting.
  private let flat: [FlatPart]
  private let literalBytes: [UInt8]

  struct FlatPart: Sendable, Equatable {
    var isVariable: Bool
    var start: Int  // literal: where its bytes are in `literalBytes`
    var count: Int
    var mayBeEmpty: Bool  // Region and Account are empty in S3 and IAM ARNs
    var pathLike: Bool
  }

  public init(_ text: String) {
    self.text = text
    // `${Name}` is a variable, anything else literal (a `${` never closed too), read as bytes.
    var parts: [Part] = []
    var literal: [UInt8] = []
    let utf8 = Array(text.utf8)
    var i = 0
    while i < utf8.count {
      if utf8[i] == 0x24, i + 1 < utf8.count, utf8[i + 1] == 0x7B,
        let close = utf8[(i + 2)...].firstIndex(of: 0x7D)
      {
        if !literal.isEmpty {
          parts.append(.literal(literal))
          literal = []
        }
        parts.append(.variable(String(decoding: utf8[(i + 2)..<close], as: UTF8.self)))
        i = close + 1
      } else {
        literal.append(utf8[i])
        i += 1
      }
    }
    if !literal.isEmpty { parts.append(.literal(literal)) }
    self.parts = parts
    var flat: [FlatPart] = []
    var bytes: [UInt8] = []
    for part in parts {
      switch part {
      case .literal(let l):
        flat.append(FlatPart(isVariable: false, start: bytes.count, count: l.count, mayBeEmpty: false, pathLike: false))
        bytes += l
      case .variable(let name):
        flat.append(
          FlatPart(
            isVariable: true, start: 0, count: 0, mayBeEmpty: name == "Region" || name == "Account",
            pathLike: Self.isPathLike(name)))
      }
    }
    self.flat = flat
    self.literalBytes = bytes
  }

  public var description: String { text }

  /// The variables other than partition, region and account.
  public var variables: [String] {
    parts.compactMap {
      if case .variable(let v) = $0, !["Partition", "Region", "Account"].contains(v) { return v }
      return nil
    }
  }

  /// Variables whose values may hold `/` (object keys, paths, log groups,
  /// secret and repository names); object keys may hold anything.
  static func isPathLike(_ name: String) -> Bool {
    name == "ObjectName" || name.hasSuffix("WithPath") || name.hasSuffix("Path")
      || name == "ParameterNameWithoutLeadingSlash"
      || name == "Token" || name == "ResourceArn" || name == "LogGroupName" || name == "SecretId"
      || name == "RepositoryName"
  }

  /// Whether `arn` is an ARN of this type.
  ///
  /// A variable inside the template matches up to the next literal (it cannot
  /// hold that literal's first byte); the last one matches the rest, without
  /// `:` or `/` unless it is path-like (an S3 key may hold anything).
  public func matches(_ arn: UnsafeBufferPointer<UInt8>) -> Bool {
    matchingStart(arn) != nil
  }

  /// Where the template's last part starts in `arn` when `arn` matches; nil when it does not.
  ///
  /// Offsets stay within the ARN and the template, so they step with
  /// wrapping arithmetic: no overflow check per byte.
  private func matchingStart(_ arn: UnsafeBufferPointer<UInt8>) -> Int? {
    literalBytes.withUnsafeBufferPointer { lit -> Int? in
      flat.withUnsafeBufferPointer { parts -> Int? in
        var pos = 0
        let n = arn.count
        let last = parts.count &- 1
        for i in 0..<parts.count {
          let part = parts[i]
          if !part.isVariable {
            guard n &- pos >= part.count else { return nil }
            var k = 0
            while k < part.count {
              if arn[pos &+ k] != lit[part.start &+ k] { return nil }
              k &+= 1
            }
            if i == last { return pos == n &- part.count ? pos : nil }
            pos &+= part.count
            continue
          }
          if i == last {
            // The last part: the rest of the ARN.
            if !part.mayBeEmpty && pos == n { return nil }
            if part.pathLike { return pos }
            var k = pos
            while k < n {
              if arn[k] == 0x3A || arn[k] == 0x2F { return nil }
              k &+= 1
            }
            return pos
          }
          let next = parts[i &+ 1]
          let stop = next.isVariable ? UInt8(0x3A) : lit[next.start]
          let from = pos
          while pos < n && arn[pos] != stop { pos &+= 1 }
          if pos == from && !part.mayBeEmpty { return nil }
        }
        return pos == n ? pos : nil
      }
    }
  }

  /// Where the template's last variable starts in `arn`, when the template
  /// ends with a variable and matches: `arn:aws:s3:::b/dir/k` → the offset of `dir`.
  public func lastVariableOffset(_ arn: String) -> Int? {
    var arn = arn
    return arn.withUTF8 { lastVariableOffset($0) }
  }

  /// `lastVariableOffset` of an ARN's bytes.
  func lastVariableOffset(_ arn: UnsafeBufferPointer<UInt8>) -> Int? {
    guard flat.last?.isVariable == true else { return nil }
    return matchingStart(arn)
  }

  public func matches(_ arn: String) -> Bool {
    var arn = arn
    return arn.withUTF8 { matches($0) }
  }

  /// Builds an ARN; variables missing from `values` become `*`, and so does an
  /// empty region or account; `ARN.ownedByAWS` builds no account.
  public func build(partition: String, region: String, account: String, values: [String: String]) -> String {
    var out = ""
    for part in parts {
      switch part {
      case .literal(let bytes): out += String(decoding: bytes, as: UTF8.self)
      case .variable("Partition"): out += partition
      case .variable("Region"): out += region.isEmpty ? "*" : region
      case .variable("Account"): out += account == ARN.ownedByAWS ? "" : account.isEmpty ? "*" : account
      case .variable(let name): out += values[name] ?? "*"
      }
    }
    return out
  }
}
