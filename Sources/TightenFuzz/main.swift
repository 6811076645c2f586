// Fuzz targets for the gzip reader, the record scanner and the policy loader.
//
//   TightenFuzz TARGET [libFuzzer flags…]          (built with -sanitize=fuzzer -DFUZZING)
//   TightenFuzz TARGET --seconds N [--seed S] [SEED_FILES…]   (any build: a seeded random mutator)
//
// A crash leaves the input in fuzz-artifacts/ (libFuzzer: crash-<sha>; mutator: crash-<target>-<seed>-<n>).

import TightenCore

var arguments = CommandLine.arguments
guard arguments.count >= 2, Targets.names.contains(arguments[1]) else {
  print("usage: TightenFuzz \(Targets.names.joined(separator: "|")) [--seconds N] [--seed S] [seed files…]")
  Platform.exit(2)
}
let target = arguments[1]

#if FUZZING
  if !arguments.contains("--seconds") {
    let callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
      Targets.run(Fuzzing.target, UnsafeBufferPointer(start: data, count: size))
      return 0
    }
    Fuzzing.target = target
    // libFuzzer reads the flags after the target name.
    var forwarded = [arguments[0]] + Array(arguments.dropFirst(2))
    // C strings that live as long as the process, as libFuzzer expects.
    var cStrings: [UnsafeMutablePointer<CChar>?] = forwarded.map { argument in
      let bytes = argument.utf8CString
      let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
      bytes.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: $0.count) }
      return copy
    }
    cStrings.append(nil)
    var argc = Int32(forwarded.count)
    forwarded.removeAll()
    let status = cStrings.withUnsafeMutableBufferPointer { buffer -> Int32 in
      var argv = buffer.baseAddress!
      return libFuzzerRunDriver(&argc, &argv, callback)
    }
    Platform.exit(status)
  }
#endif

Mutator.main(target: target, arguments: Array(arguments.dropFirst(2)))
