@testable import TightenCore

extension ResourceRequest {
  /// Calls `body` with a request whose parameters are `json`, in `us-east-1` of account 111122223333.
  static func with<T>(
    _ json: String, region: String = "us-east-1", account: String = "111122223333", _ body: (ResourceRequest) -> T
  ) -> T {
    Array(json.utf8).withUnsafeBufferPointer { parameters in
      body(
        ResourceRequest(
          parameters: parameters, recordArns: [], region: region, account: account,
          partition: ARN.partition(forRegion: region)))
    }
  }
}
