import Testing

@testable import TightenCore

@Suite("EventName")
struct EventNameTests {
  @Test(
    "strips only date-shaped API version suffixes",
    arguments: [
      ("CreateFunction20150331", "CreateFunction"), ("GetFunction20150331v2", "GetFunction"),
      ("CreateDistribution2020_05_31", "CreateDistribution"), ("ListObjectsV2", "ListObjectsV2"),
      ("CreateTable19891231", "CreateTable19891231"), ("Get20151331", "Get20151331"), ("20150331", "20150331"),
      ("Put2020_05_31v2", "Put"), ("", ""),
    ])
  func versionSuffixes(_ name: String, _ expected: String) {
    #expect(EventName.withoutVersionSuffix(name) == expected)
    #expect(PermissionMapper.stripVersionSuffix(name) == expected)
  }
}
