// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

// The scanner's hot path works on buffers owned by classes; Swift's run-time
// exclusivity checks on them cost more than the scanning itself. The code is
// single-threaded per worker and checked statically; tests run with checks on.
let hotPath: [SwiftSetting] =
  strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
  name: "tighten",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "tighten", targets: ["tighten"]),
    .library(name: "TightenCore", targets: ["TightenCore"]),
  ],
  dependencies: [.package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")],
  targets: [
    // zlib, through the system's headers and pkg-config.
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
    ),

    // libyaml's event parser, likewise: CloudFormation templates in YAML.
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),

    // The scanner's vector compares, in C (SSE2 on x86-64, which Swift does
    // not spell portably): skipping values it does not read, finding where a
    // string's plain bytes stop.
    .target(name: "CScan"),

    // Everything that reads, maps and reports: the library the tests exercise.
    .target(
      name: "TightenCore",
      dependencies: ["CZlib", "CYAML", "CScan"],
      swiftSettings: hotPath
    ),

    // The command line: parses arguments, prints, nothing else. The release
    // binary carries Swift's runtime and libraries (-static-stdlib): loading
    // and binding a dozen shared libraries (Foundation's among them, no
    // longer imported) was half of a small run's start-up (a one-record scan
    // 26.5 -> 12.8 ms in Scripts/bench), which every nightly run pays.
    .executableTarget(
      name: "tighten",
      dependencies: [
        "TightenCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict,
      linkerSettings: [
        .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release)),
        // What the argument parser's FoundationEssentials needs, which -static-stdlib alone does not name.
        .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
        .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
      ]
    ),

    // Fuzz targets: libFuzzer with -sanitize=fuzzer -DFUZZING, else a seeded mutator (Scripts/fuzz).
    .executableTarget(
      name: "TightenFuzz",
      dependencies: ["TightenCore"],
      swiftSettings: strict
    ),

    // Tests: units and real samples, then the built binary end to end.
    .target(
      name: "TightenTestSupport",
      dependencies: ["TightenCore", "CZlib"],
      path: "Tests/TightenTestSupport",
      swiftSettings: strict
    ),
    .testTarget(
      name: "TightenCoreTests",
      dependencies: ["TightenCore", "TightenTestSupport", "CZlib", "CScan"],
      exclude: ["Fixtures"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "tightenTests",
      dependencies: ["tighten", "TightenTestSupport"],
      swiftSettings: strict
    ),
  ],
  swiftLanguageModes: [.v6]
)

// Component benchmarks (issue 15: the scanner, the mapper, the string table)
// with ordo-one/benchmark, only when TIGHTEN_BENCHMARKS is set (Scripts/bench
// sets it): the build and the tests need nothing more.
if Context.environment["TIGHTEN_BENCHMARKS"] != nil {
  package.dependencies.append(
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
  package.targets.append(
    .executableTarget(
      name: "Components",
      dependencies: ["TightenCore", .product(name: "Benchmark", package: "benchmark")],
      path: "Benchmarks/Components",
      swiftSettings: strict,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ))
}
