import Dispatch
import Foundation
import Synchronization

/// The engine's one scheduler: work split into N parts over a pool of worker threads.
///
/// Code that splits its work (a training step into one part per replica, an inference batch
/// into equal shares, a product into bands of tiles) calls `run(parts:)`. A thread already
/// running a part is marked, so splits nested inside it (layers and `gemm` called from a
/// training replica) run inline instead of asking for more threads. Results never depend on
/// which thread ran a part: each part is always the same range (`Partition`), combined in
/// part order, so they depend on the number of parts only.
///
/// Training splits work two or three times per step, about 16,000 times a second for
/// mlp:128. Waking a sleeping thread for each split costs tens of microseconds on a virtual
/// machine, so the workers keep polling for work for a while after each split (see
/// `WorkerPool`).
package enum Scheduler {
    /// The largest thread count accepted (`--threads`, `$DIGIT_THREADS`).
    package static let maximumThreads = 1024

    /// The number of parts a split started on this thread uses: the count `withThreads`
    /// set for this thread, else the process default (`setDefaultThreads`, initially the
    /// active processor count).
    package static var threads: Int {
        let local = Int(bitPattern: pthread_getspecific(threadsKey))
        return local > 0 ? local : defaultThreads.load(ordering: .relaxed)
    }

    /// Sets the thread count of every thread without its own (`withThreads`); 1...`maximumThreads`.
    package static func setDefaultThreads(_ count: Int) {
        precondition((1...maximumThreads).contains(count), "Scheduler: \(count) threads")
        defaultThreads.store(count, ordering: .relaxed)
    }

    /// Runs `body` with `threads` set to `count` (1...`maximumThreads`) on this thread, then
    /// restores the previous count: how tests run the same work on several thread counts at once.
    package static func withThreads<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
        precondition((1...maximumThreads).contains(count), "Scheduler: \(count) threads")
        let previous = pthread_getspecific(threadsKey)
        pthread_setspecific(threadsKey, UnsafeRawPointer(bitPattern: count))
        defer { pthread_setspecific(threadsKey, previous) }
        return try body()
    }

    /// True on a thread that is running a part of a split.
    package static var isSplit: Bool { pthread_getspecific(splitKey) != nil }

    /// Parts for a split started here: `threads`, or 1 inside a part (nested work runs inline).
    package static var partsHere: Int { isSplit ? 1 : threads }

    /// Calls `body(part)` for every part in `0..<parts` and returns when all are done: on the
    /// pool's threads and this one, or one after the other on this thread when it is already
    /// running a part (or `parts` is 1). Parts must not wait for one another.
    package static func run(parts: Int, _ body: (Int) -> Void) {
        precondition(parts >= 1 && parts <= WorkerPool.maximumParts, "Scheduler: \(parts) parts")
        if isSplit {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let marked: (Int) -> Void = { part in
                let outer = pthread_getspecific(splitKey)
                pthread_setspecific(splitKey, marker)
                defer { pthread_setspecific(splitKey, outer) }
                body(part)
            }
            if parts == 1 { return marked(0) }
            // One caller at a time uses the pool; another thread splitting meanwhile (tests
            // run concurrently) takes Dispatch's pool instead.
            if !pool.run(parts: parts, marked) {
                DispatchQueue.concurrentPerform(iterations: parts, execute: marked)
            }
        }
    }

    /// Runs `body` over `0..<count` cut into `partsHere` equal ranges (`Partition`), one part
    /// per thread, `body(range, part)`; one call with the whole range when there is at most
    /// one item or one part.
    package static func forEachPart(_ count: Int, _ body: (Range<Int>, Int) -> Void) {
        let parts = min(partsHere, count)
        guard parts > 1 else { return body(0..<count, 0) }
        let partition = Partition(count, parts: parts)
        run(parts: parts) { part in body(partition[part], part) }
    }

    /// Calls `body(item)` once for every item in `0..<count`, items handed out one at a time
    /// to `threads` threads as they come free: for independent items of uneven cost
    /// (pictures to decode and preprocess). Inline inside a part.
    package static func forEachItem(_ count: Int, _ body: (Int) -> Void) {
        let parts = min(partsHere, count)
        guard parts > 1 else { return (0..<count).forEach(body) }
        let next = ItemCounter()
        run(parts: parts) { _ in
            while true {
                let item = next.take()
                guard item < count else { return }
                body(item)
            }
        }
    }

    private static let defaultThreads = Atomic<Int>(max(1, min(ProcessInfo.processInfo.activeProcessorCount, maximumThreads)))
    private static let pool = WorkerPool()
    private static let splitKey = makeKey()
    private static let threadsKey = makeKey()
    private static let marker = UnsafeRawPointer(bitPattern: 1)

    private static func makeKey() -> pthread_key_t {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }
}

/// Hands out 0, 1, 2, ... to whichever thread asks next.
private final class ItemCounter: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
