/// Named bytes of the JSON grammar.
enum ASCII {
  static let quote: UInt8 = 0x22  // "
  static let backslash: UInt8 = 0x5C
  static let slash: UInt8 = 0x2F
  static let comma: UInt8 = 0x2C
  static let colon: UInt8 = 0x3A
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let openBracket: UInt8 = 0x5B
  static let closeBracket: UInt8 = 0x5D
  static let space: UInt8 = 0x20
  static let tab: UInt8 = 0x09
  static let newline: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let minus: UInt8 = 0x2D
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let t: UInt8 = 0x74
  static let f: UInt8 = 0x66
  static let n: UInt8 = 0x6E
  static let u: UInt8 = 0x75

  /// JSON's white space: space, line feed, carriage return, tab.
  @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool {
    c == space || c == newline || c == carriageReturn || c == tab
  }
}

/// A byte as a reader would want it in an error message.
func describe(_ c: UInt8) -> String {
  switch c {
  case 0x20...0x7E: "'\(Character(Unicode.Scalar(c)))'"
  default: "byte 0x\(String(c, radix: 16, uppercase: true))"
  }
}

/// The kind of JSON value that starts with `first`, for messages: `a string`, `an object`, ….
func typeName(_ first: UInt8) -> String {
  switch first {
  case ASCII.quote: "a string"
  case ASCII.openBrace: "an object"
  case ASCII.openBracket: "an array"
  case ASCII.t, ASCII.f: "a boolean"
  case ASCII.n: "null"
  default: "a number"
  }
}
