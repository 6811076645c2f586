extension String {
  /// The text between the occurrences of `separator`, empty pieces kept:
  /// "a,,b" by "," is ["a", "", "b"]. Occurrences are found by their UTF-8
  /// bytes, left to right, without overlap; an empty separator gives the
  /// whole text as one piece.
  func pieces(separatedBy separator: String) -> [String] {
    let text = Array(utf8)
    let mark = Array(separator.utf8)
    guard !mark.isEmpty, text.count >= mark.count else { return [self] }
    var out: [String] = []
    var start = 0
    var i = 0
    while i + mark.count <= text.count {
      if text[i] == mark[0] && text[i..<(i + mark.count)].elementsEqual(mark) {
        out.append(String(decoding: text[start..<i], as: UTF8.self))
        i += mark.count
        start = i
      } else {
        i += 1
      }
    }
    out.append(String(decoding: text[start...], as: UTF8.self))
    return out
  }
}
