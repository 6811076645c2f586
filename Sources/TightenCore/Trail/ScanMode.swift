/// Where the scan of an input stands between two steps.
enum ScanMode: Equatable {
  /// Between top-level values.
  case top
  /// Inside a records array; `inObject` when the array is a member of a top-level object.
  case array(needComma: Bool, inObject: Bool)
  /// In a top-level object after its records array, skipping its other members.
  case afterArray(needComma: Bool)
  /// Skipping an oversized value without holding it.
  case skipping(OversizedValue)

  /// Where the scan goes on once an oversized value is past.
  enum Resume: Equatable {
    case top
    case arrayElement(inObject: Bool)
    case objectMember

    /// The mode that goes on after the skipped value.
    var mode: ScanMode {
      switch self {
      case .top: .top
      case .arrayElement(let inObject): .array(needComma: true, inObject: inObject)
      case .objectMember: .afterArray(needComma: true)
      }
    }
  }
}
