/// How `generate` shapes a policy.
public struct GeneratorOptions: Sendable, Equatable {
  public enum ResourceMode: String, Sendable, CaseIterable {
    /// Every ARN as observed.
    case exact
    /// Resources of one kind and place collapse to their common prefix (`table/shop-dev-*`, `bucket/2026/*`).
    case prefix
    /// Resources of one kind and place become that kind's wildcard (`table/*`).
    case wildcard
  }

  public var resources: ResourceMode
  /// Replace the account in ARNs by `*`, so one policy serves several accounts.
  public var anyAccount: Bool
  /// Replace the region in ARNs by `*`.
  public var anyRegion: Bool
  /// Collapse three or more read actions sharing a verb (`ec2:Describe*`). Grants actions not observed.
  public var actionWildcards: Bool
  /// Largest document, in characters not counting white space.
  public var maxSize: Int
  /// Refinement: keep entries no call used.
  public var keepUnused: Bool
  /// Refinement: replace overbroad wildcards by the actions used.
  public var narrow: Bool
  /// `--lifecycle all`: include what the stack's resources will need to be updated, rolled back and
  /// deleted, and keep it when refining; false: only what the trails show (`--lifecycle observed`).
  public var lifecycle: Bool

  public init(
    resources: ResourceMode = .exact, anyAccount: Bool = false, anyRegion: Bool = false, actionWildcards: Bool = false,
    maxSize: Int = 6144, keepUnused: Bool = false, narrow: Bool = false, lifecycle: Bool = true
  ) {
    self.lifecycle = lifecycle
    self.resources = resources
    self.anyAccount = anyAccount
    self.anyRegion = anyRegion
    self.actionWildcards = actionWildcards
    self.maxSize = maxSize
    self.keepUnused = keepUnused
    self.narrow = narrow
  }
}

public enum GeneratorError: Error, Equatable, CustomStringConvertible {
  /// The policy needs more documents than a role can hold.
  case tooManyDocuments(Int)

  public var description: String {
    switch self {
    case .tooManyDocuments(let n):
      "the policy needs \(n) documents of at most the size limit; a role holds at most 10 managed policies "
        + "(narrow the trail with --principal, or use --resources prefix or wildcard)"
    }
  }
}
