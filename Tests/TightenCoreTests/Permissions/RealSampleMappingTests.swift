import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Mapping on real samples")
struct RealSampleMappingTests {
  @Test("every counted event is mapped or listed unmapped with a reason, and no action is outside the catalogue")
  func noInventedActions() {
    let a = TrailAnalyzer().analyze(paths: [Fixtures.path("trails")])
    let unmapped = a.unmapped.reduce(0) { $0 + $1.count }
    #expect(a.unmapped.allSatisfy { !$0.call.reason.isEmpty })
    let mappedEvents = a.events.counted - unmapped
    #expect(mappedEvents > 0)
    for row in a.permissions {
      #expect(Catalog.shared.action(row.permission.action)?.name == row.permission.action, "\(row.permission.action)")
    }
    // Only the placeholder sources of the serializer fixtures and one internal S3 call are unknown.
    #expect(
      a.unmapped.allSatisfy { $0.call.eventSource.hasPrefix("eventSource") || $0.call.eventName.hasSuffix("Internal") })
  }
}
