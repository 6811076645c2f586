import Dispatch
import Synchronization

/// Work spread over threads: each index handed out once, to whichever
/// thread is free, so unequal pieces balance.
enum Parallel {
  /// Runs `body` once for each of `0..<count`, on up to `threads` threads.
  static func forEach(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let threads = min(threads, count)
    if threads <= 1 {
      for i in 0..<count { body(i) }
      return
    }
    if threads == count {
      DispatchQueue.concurrentPerform(iterations: count, execute: body)
      return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if i >= count { break }
        body(i)
      }
    }
  }

  /// `transform` of each of `0..<count`, in order, worked out on up to `threads` threads.
  static func map<T>(_ count: Int, threads: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    let results = Results<T>(count: count)
    forEach(count, threads: threads) { i in results.set(i, transform(i)) }
    return results.values()
  }

  /// One slot per index, each written by one thread only.
  private final class Results<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>
    init(count: Int) {
      slots = .allocate(capacity: count)
      slots.initialize(repeating: nil)
    }
    deinit {
      slots.baseAddress?.deinitialize(count: slots.count)
      slots.deallocate()
    }
    func set(_ i: Int, _ value: T) { slots[i] = value }
    func values() -> [T] { slots.map { $0! } }
  }
}
