import Foundation

extension Scheduler {
    /// Makes items `0..<count` with `produce` on `threads` threads and hands each to
    /// `consume` in order, as soon as it and every item before it are made: a pipeline whose
    /// first results come out before the last item is started.
    ///
    /// Items are handed out one at a time to threads as they come free, but never more than
    /// `window` (at least 1) past the oldest item not yet consumed, so at most `window`
    /// products are held at once, however many items there are. `consume` runs on whichever
    /// thread finished the item that made the next one ready, never on two threads at once;
    /// this call returns after the last `consume`. Inside a part, everything runs here, item
    /// by item.
    package static func forEachInOrder<Product>(_ count: Int, window: Int, produce: (Int) -> Product,
                                                consume: (Int, Product) -> Void) {
        precondition(window >= 1, "forEachInOrder: window \(window)")
        let parts = min(partsHere, count)
        guard parts > 1 else {
            return run(parts: 1) { _ in
                for item in 0..<count { consume(item, produce(item)) }
            }
        }
        let stream = OrderedWindow<Product>(count: count, window: window)
        run(parts: parts) { _ in
            while let item = stream.take() {
                stream.finish(item, produce(item), consume: consume)
            }
        }
    }
}

/// The shared state of one `forEachInOrder`, guarded by `condition`.
private final class OrderedWindow<Product>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var nextToTake = 0
    private var nextToConsume = 0
    /// Products made but not yet consumed, by item.
    private var ready: [Int: Product] = [:]
    /// Set while a thread is consuming (outside the lock).
    private var consuming = false

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// The next item to make, waiting while it would be `window` past the oldest not
    /// consumed; nil when every item has been handed out.
    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextToTake < count && nextToTake >= nextToConsume + window { condition.wait() }
        guard nextToTake < count else { return nil }
        nextToTake += 1
        return nextToTake - 1
    }

    /// Stores `product` of `item`, then consumes every product now ready in order, unless
    /// another thread is already doing so (it will find this one too).
    func finish(_ item: Int, _ product: Product, consume: (Int, Product) -> Void) {
        condition.lock()
        defer { condition.unlock() }
        ready[item] = product
        guard !consuming else { return }
        consuming = true
        while let next = ready.removeValue(forKey: nextToConsume) {
            let index = nextToConsume
            // Other threads keep making items meanwhile.
            condition.unlock()
            consume(index, next)
            condition.lock()
            nextToConsume += 1
            condition.broadcast()
        }
        consuming = false
    }
}
