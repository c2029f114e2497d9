@testable import DigitCompute
import Foundation
import Synchronization
import Testing

/// The thread counts every split is checked on: this machine may have two cores, so 3, 4 and
/// 8 are oversubscribed and must still finish, with the same results.
let threadCounts = [1, 2, 3, 4, 8]

/// A count that several threads add to.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func increment() { count.add(1, ordering: .relaxed) }
}

@Suite("Scheduler")
struct SchedulerTests {
    @Test("A partition cuts n items into k contiguous parts, in order, whose sizes differ by at most one")
    func partitionIsEven() {
        for count in [0, 1, 5, 6, 7, 64, 250, 256, 1000] {
            for parts in 1...9 {
                let ranges = Array(Partition(count, parts: parts))
                #expect(ranges.count == parts)
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                let sizes = ranges.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1, "\(count) in \(parts): \(sizes)")
            }
        }
    }

    @Test("An aligned partition cuts at multiples of the alignment and covers every item")
    func alignedPartition() {
        for (count, parts, alignment) in [(784, 2, 6), (784, 3, 6), (784, 8, 6), (100, 4, 16), (5, 3, 16), (0, 2, 6)] {
            let ranges = Partition.aligned(count, parts: parts, alignment: alignment)
            #expect(ranges.count == parts)
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(ranges.dropLast().allSatisfy { $0.upperBound % alignment == 0 || $0.upperBound == count })
            let units = ranges.map { ($0.count + alignment - 1) / alignment }
            #expect(units.max()! - units.min()! <= 1, "\(count) in \(parts) by \(alignment): \(ranges)")
        }
    }

    @Test("An inference batch gives every thread an equal share (no 250 + 6), in chunks of at most 250",
          arguments: threadCounts)
    func inferenceChunksAreEven(threads: Int) {
        for count in [1, 6, 250, 256, 257, 1000, 10_000] {
            let chunks = Classifier.chunks(count: count, parts: threads)
            #expect(chunks.count == threads)
            let shares = chunks.map { $0.reduce(0) { $0 + $1.count } }
            #expect(shares.max()! - shares.min()! <= 1, "\(count) samples on \(threads) threads: \(shares)")
            #expect(chunks.flatMap { $0 } .allSatisfy { !$0.isEmpty && $0.count <= Classifier.largestChunk })
            let all = chunks.flatMap { $0 }
            #expect(all.first?.lowerBound == 0 && all.last?.upperBound == count)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            // Within a share the chunks are even too, so no thread ends on a sliver.
            for share in chunks where share.count > 1 {
                let sizes = share.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1)
            }
        }
    }

    @Test("run calls every part exactly once, marks it as split, and runs nested splits inline",
          arguments: threadCounts)
    func runCallsEveryPartOnce(parts: Int) {
        for _ in 0..<200 {
            let calls = (0..<parts).map { _ in Counter() }
            let nested = Counter(), unmarked = Counter()
            Scheduler.run(parts: parts) { part in
                calls[part].increment()
                if !Scheduler.isSplit { unmarked.increment() }
                let thread = pthread_self()
                Scheduler.run(parts: 3) { _ in
                    if pthread_equal(pthread_self(), thread) != 0 { nested.increment() }
                }
            }
            #expect(calls.allSatisfy { $0.value == 1 })
            #expect(unmarked.value == 0)
            #expect(nested.value == 3 * parts)
        }
        #expect(!Scheduler.isSplit)
    }

    @Test("Several threads splitting at once all finish (one holds the pool, the others take Dispatch's)")
    func concurrentCallersFinish() {
        let total = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<100 {
                Scheduler.run(parts: 8) { _ in total.increment() }
            }
        }
        #expect(total.value == 4 * 100 * 8)
    }

    @Test("withThreads sets the thread count of this thread only, and restores it")
    func withThreadsIsScoped() {
        let outside = Scheduler.threads
        Scheduler.withThreads(3) {
            #expect(Scheduler.threads == 3)
            Scheduler.withThreads(5) { #expect(Scheduler.threads == 5) }
            #expect(Scheduler.threads == 3)
            #expect(Scheduler.partsHere == 3)
            Scheduler.run(parts: 2) { _ in #expect(Scheduler.partsHere == 1) }
        }
        #expect(Scheduler.threads == outside)
    }

    @Test("forEachItem and forEachPart visit every item exactly once", arguments: threadCounts)
    func everyItemOnce(threads: Int) {
        for count in [0, 1, 7, 1000] {
            let items = (0..<count).map { _ in Counter() }, parted = (0..<count).map { _ in Counter() }
            Scheduler.withThreads(threads) {
                Scheduler.forEachItem(count) { items[$0].increment() }
                Scheduler.forEachPart(count) { range, _ in for i in range { parted[i].increment() } }
            }
            #expect(items.allSatisfy { $0.value == 1 })
            #expect(parted.allSatisfy { $0.value == 1 })
        }
    }

    @Test("forEachInOrder consumes every item once, in order, never more than the window ahead",
          arguments: threadCounts)
    func orderedStream(threads: Int) {
        let window = 3, count = 200
        let started = Counter()
        var consumed: [Int] = []
        var furthestAhead = 0
        Scheduler.withThreads(threads) {
            Scheduler.forEachInOrder(count, window: window, produce: { item in
                started.increment()
                // Uneven work, so items finish out of order.
                usleep(UInt32((item * 7919) % 5) * 100)
                return item * 2
            }, consume: { item, product in
                #expect(product == item * 2)
                furthestAhead = max(furthestAhead, started.value - consumed.count)
                consumed.append(item)
            })
        }
        #expect(consumed == Array(0..<count))
        #expect(furthestAhead <= window)
    }
}
