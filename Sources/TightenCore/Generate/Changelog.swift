/// What one refinement changed, for the changelog and the history.
public struct Changelog: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var policy: String
    public var statement: String
    public var action: String
  }

  /// Permissions added because calls needed them: (action, resource).
  public var added: [Permission] = []
  /// Entries removed because no call used them.
  public var removed: [Entry] = []
  /// Wildcard entries replaced by the actions used: entry → actions.
  public var narrowed: [(entry: Entry, to: [String])] = []
  /// Entries kept although unused, because CloudTrail cannot show their use.
  public var keptUnobservable: [Entry] = []
  /// Permissions added because the stack's resources will need them (not shown by the trail yet).
  public var predicted: [Permission] = []
  /// Entries kept although unused, because the stack's resources will need them.
  public var keptLifecycle: [Entry] = []
  /// Permissions an earlier turn added as predicted that this turn's trail shows.
  public var promoted: [Permission] = []

  public static func == (a: Changelog, b: Changelog) -> Bool {
    a.added == b.added && a.removed == b.removed && a.keptUnobservable == b.keptUnobservable
      && a.predicted == b.predicted && a.keptLifecycle == b.keptLifecycle && a.promoted == b.promoted
      && a.narrowed.map(\.entry) == b.narrowed.map(\.entry) && a.narrowed.map(\.to) == b.narrowed.map(\.to)
  }
}
