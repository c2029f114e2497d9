import Dispatch
import Foundation
import Synchronization

/// Worker threads that run the parts of each split beside the thread that posted it.
///
/// A split is posted as one word, `ticket`: its generation (bits 32 and up), its number of
/// parts (bits 16..<32) and the next part to hand out (bits 0..<16). Every thread, the
/// caller included, takes parts by compare-and-swap on that word until none is left, so a
/// worker the system has not scheduled leaves its share to the others (a machine with fewer
/// cores than threads still finishes every split), and a late worker can never take a part
/// of a later split: the generation differs.
///
/// Between splits the workers poll for `pollingTime` and then sleep on a semaphore, so an
/// idle process costs nothing and a training loop never waits for a wake-up.
final class WorkerPool: @unchecked Sendable {
    /// The most parts one split can have: what fits in the ticket's part fields.
    static let maximumParts = (1 << 16) - 1
    /// How long a worker polls after its last part before it sleeps: 2 ms, in nanoseconds.
    static let pollingTime: UInt64 = 2_000_000

    private let ticket = Atomic<Int>(0)
    /// Parts of the current split finished.
    private let finished = Atomic<Int>(0)
    /// Set while a caller owns the pool.
    private let claimed = Atomic<Bool>(false)
    /// Workers asleep (or about to be) that the next split must wake.
    private let sleepers = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    /// Written by the caller before the ticket is posted, read by a worker after it took a
    /// part (so never while it is rewritten: the split cannot finish before that part).
    private var job: ((Int) -> Void)?
    /// Owned by the caller holding `claimed`.
    private var workers = 0
    private var generation = 0

    /// Runs `job(part)` for every part in `0..<parts` on this thread and at least `parts - 1`
    /// workers, returning when all are done; false (nothing run) when another caller holds the pool.
    func run(parts: Int, _ job: @escaping (Int) -> Void) -> Bool {
        guard claimed.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { claimed.store(false, ordering: .releasing) }
        while workers < parts - 1 {
            let thread = Thread { [self] in work() }
            thread.stackSize = 8 << 20
            thread.start()
            workers += 1
        }
        self.job = job
        finished.store(0, ordering: .relaxed)
        generation += 1
        ticket.store(generation << 32 | parts << 16, ordering: .sequentiallyConsistent)
        for _ in 0..<sleepers.exchange(0, ordering: .sequentiallyConsistent) { wake.signal() }
        while takeAndRun() {}
        var spins = 0
        while finished.load(ordering: .acquiring) != parts {
            // On a machine busier than its cores a worker may be waiting for a turn.
            spins += 1
            if spins & 255 == 0 { sched_yield() }
        }
        self.job = nil
        return true
    }

    /// Whether `ticket` has a part left to hand out.
    private static func hasPartLeft(_ ticket: Int) -> Bool { ticket & 0xFFFF < (ticket >> 16) & 0xFFFF }

    /// Takes the next part of the posted split and runs it; false when none is left.
    private func takeAndRun() -> Bool {
        var current = ticket.load(ordering: .acquiring)
        while Self.hasPartLeft(current) {
            let (exchanged, original) = ticket.compareExchange(expected: current, desired: current + 1,
                                                               ordering: .acquiringAndReleasing)
            if exchanged {
                runPart(current & 0xFFFF)
                finished.add(1, ordering: .releasing)
                return true
            }
            current = original
        }
        return false
    }

    /// Not inlined, so the reference to `job` is released before the part counts as finished
    /// (the caller's `withoutActuallyEscaping` checks that nothing kept it).
    @inline(never)
    private func runPart(_ part: Int) {
        job!(part)
    }

    private func work() {
        var lastPart = DispatchTime.now().uptimeNanoseconds
        var polls = 0
        while true {
            if takeAndRun() {
                lastPart = DispatchTime.now().uptimeNanoseconds
                continue
            }
            polls += 1
            guard polls & 1023 == 0 else { continue }
            // Lets the caller and the other workers run when there are more threads than cores.
            sched_yield()
            guard DispatchTime.now().uptimeNanoseconds - lastPart > Self.pollingTime else { continue }
            sleepers.add(1, ordering: .sequentiallyConsistent)
            // A split posted after this check finds the count above, and wakes this worker.
            if !Self.hasPartLeft(ticket.load(ordering: .sequentiallyConsistent)) { wake.wait() }
            lastPart = DispatchTime.now().uptimeNanoseconds
        }
    }
}
