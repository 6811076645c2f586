/// Why a record that was read does not count.
public enum Exclusion: String, Sendable, CaseIterable, Codable {
  /// `eventType` `AwsServiceEvent`: AWS acting on its own, no principal's permission.
  case awsServiceEvent
  /// Made by an AWS service principal (`userIdentity.type` `AWSService`).
  case awsServicePrincipal
  /// `AwsConsoleSignIn`: signing in needs no IAM permission.
  case consoleSignIn
  /// CloudTrail Insights events, which describe activity rather than make calls.
  case insight
  /// Calls that need no permission at all (`sts:GetCallerIdentity`).
  case noPermissionNeeded
  /// Left out by `--principal`.
  case principal
  /// Left out by `--since`/`--until` (or without a time while they are set).
  case time
  /// Left out by `--region`.
  case region
  /// Left out by `--account`.
  case account

  /// The exclusion a record's own kind implies, before any filter: AWS
  /// acting on its own, sign-ins and Insights events need no principal's permission.
  static func ofKind(_ e: borrowing EventView) -> Exclusion? {
    let eventType = e.bytes(e.eventType)
    if eventType.count > 0 {
      if equals(eventType, "AwsServiceEvent") { return .awsServiceEvent }
      if equals(eventType, "AwsConsoleSignIn") { return .consoleSignIn }
      if equals(eventType, "AwsCloudTrailInsight") { return .insight }
    }
    if equals(e.bytes(e.identityType), "AWSService") { return .awsServicePrincipal }
    return nil
  }
}
