import Foundation

/// `map` over independent items on every core, results in the items' order.
/// For `check` and `compare`, whose runs share nothing: each kernel is a
/// value stepped by one thread, so the results are the same as in a loop.
enum ParallelMap {
    static func run<Item: Sendable, Result: Sendable>(_ items: [Item], _ transform: @Sendable (Item) -> Result) -> [Result] {
        let slots = Slots<Result>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { n in
            slots.set(n, transform(items[n]))
        }
        return slots.values()
    }

    /// One slot per item, each written once by the worker that ran it.
    final class Slots<Value: Sendable>: @unchecked Sendable {
        private var storage: [Value?]
        private let lock = NSLock()
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ n: Int, _ value: Value) { lock.withLock { storage[n] = value } }
        func values() -> [Value] { lock.withLock { storage.map { $0! } } }
    }
}
