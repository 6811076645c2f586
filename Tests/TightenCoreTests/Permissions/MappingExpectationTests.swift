import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

/// One labelled case of `Fixtures/expectations/mappings.jsonl`.
struct MappingCase: CustomTestStringConvertible, Sendable {
  enum Expect: Equatable, Sendable {
    case permissions(Set<[String]>)
    case none
    case unmapped(String)
  }

  let name: String
  let record: String
  let expect: Expect
  let reference: String

  var testDescription: String { name }

  static let all: [MappingCase] = {
    let url = Fixtures.folder.appendingPathComponent("expectations/mappings.jsonl")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let record = object["record"], let name = object["case"] as? String,
        let recordData = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
      else { return nil }
      let expect: Expect
      if let rows = object["expect"] as? [[Any]] {
        expect = .permissions(
          Set(
            rows.map { row in
              [
                row[0] as? String ?? "", row[1] as? String ?? "", (row[2] as? Bool ?? false) ? "denied" : "",
                row[3] as? String ?? "",
              ]
            }))
      } else if let unmapped = (object["expect"] as? [String: String])?["unmapped"] {
        expect = .unmapped(unmapped)
      } else {
        expect = .none
      }
      return MappingCase(
        name: name, record: String(decoding: recordData, as: UTF8.self), expect: expect,
        reference: object["ref"] as? String ?? "")
    }
  }()

  /// What tighten makes of the record, in the same shape as `expect`.
  func actual() -> Expect {
    let a = TrailAnalyzer(workers: 1).analyze(
      bytes: Array(#"{"Records":["#.utf8) + Array(record.utf8) + Array("]}".utf8))
    if let row = a.unmapped.first { return .unmapped(row.call.reason) }
    if a.events.excluded[.noPermissionNeeded] == 1 { return .none }
    return .permissions(
      Set(
        a.usage.map { u in
          [u.permission.action, u.permission.resource, u.stats.denied > 0 ? "denied" : "", u.context.passedToService]
        }))
  }
}

@Suite("Mapping expectations")
struct MappingExpectationTests {
  @Test("the labelled file covers at least 150 distinct (event source, event name) pairs")
  func coverage() {
    let pairs = Set(
      MappingCase.all.compactMap { c -> String? in
        guard let data = c.record.data(using: .utf8),
          let r = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return "\(r["eventSource"] ?? "") \(r["eventName"] ?? "")"
      })
    #expect(pairs.count >= 150)
    #expect(MappingCase.all.allSatisfy { !$0.reference.isEmpty })
  }

  @Test("each labelled record maps to its documented permissions", arguments: MappingCase.all)
  func mapsAsDocumented(_ c: MappingCase) {
    let actual = c.actual()
    switch c.expect {
    case .unmapped(let reason):
      guard case .unmapped(let got) = actual else {
        Issue.record("expected unmapped (\(reason)), got \(actual)")
        return
      }
      #expect(got.contains(reason))
    default:
      #expect(actual == c.expect, "see \(c.reference)")
    }
  }
}
