import Dispatch
import Foundation
import Synchronization

/// Work split over the machine's two cores, without nesting.
///
/// Code that runs on both cores (one training replica per core, an inference batch in two
/// halves) calls into layers and `gemm`, which split their own work when called from one
/// thread. A thread already running one of two halves is marked, so nested splits run
/// inline instead of asking for more threads than there are cores. Results never depend
/// on which way a split ran: each half is always the same range, combined in half order.
///
/// Training splits work two or three times per step, about 16,000 times a second for
/// mlp:128. Waking a sleeping thread for each split costs tens of microseconds on a virtual
/// machine, so the second half runs on a partner thread that keeps polling for work for a
/// while after each split (see `PartnerThread`).
package enum BothCores {
    /// True on a thread that is running one half of a `run`.
    package static var isSplit: Bool { pthread_getspecific(splitKey) != nil }

    /// Calls `body(0)` and `body(1)` on two threads and returns when both are done, or one
    /// after the other when this thread is already one half of a split.
    package static func run(_ body: (Int) -> Void) {
        if isSplit {
            body(0)
            body(1)
            return
        }
        withoutActuallyEscaping(body) { body in
            let marked: (Int) -> Void = { half in
                pthread_setspecific(splitKey, marker)
                defer { pthread_setspecific(splitKey, nil) }
                body(half)
            }
            // One caller at a time uses the partner; another thread splitting meanwhile
            // (tests run concurrently) takes Dispatch's pool instead.
            if !partner.run(marked) {
                DispatchQueue.concurrentPerform(iterations: 2, execute: marked)
            }
        }
    }

    private static let partner = PartnerThread()

    private static let splitKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    private static let marker = UnsafeRawPointer(bitPattern: 1)
}

/// A thread that runs `job(1)` of each split while the caller runs `job(0)`.
///
/// Between jobs it polls for `pollingTime` and then sleeps on a semaphore, so an idle
/// process costs nothing and a training loop never waits for a wake-up.
private final class PartnerThread: @unchecked Sendable {
    /// How long the partner polls after a job before it sleeps: 2 ms, in nanoseconds.
    static let pollingTime: UInt64 = 2_000_000

    /// Generation of the last job posted, and of the last one finished.
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    /// Set while a caller owns the partner.
    private let claimed = Atomic<Bool>(false)
    /// Set while the partner sleeps (or is about to).
    private let sleeping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// Written by the caller before `posted` is released, read by the partner after.
    private var job: ((Int) -> Void)?
    private var started = false

    /// Runs `job(0)` here and `job(1)` on the partner; false (nothing run) when another
    /// caller holds the partner.
    func run(_ job: @escaping (Int) -> Void) -> Bool {
        guard claimed.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { claimed.store(false, ordering: .releasing) }
        if !started {
            started = true
            let thread = Thread { [self] in loop() }
            thread.stackSize = 8 << 20
            thread.start()
        }
        self.job = job
        let generation = posted.load(ordering: .relaxed) + 1
        posted.store(generation, ordering: .sequentiallyConsistent)
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
        job(0)
        var spins = 0
        while finished.load(ordering: .acquiring) != generation {
            // On a machine busier than its cores the partner may be waiting for a turn.
            spins += 1
            if spins & 4095 == 0 { sched_yield() }
        }
        self.job = nil
        return true
    }

    private func loop() {
        var seen = 0
        while true {
            var lastJob = DispatchTime.now().uptimeNanoseconds
            var polls = 0
            while posted.load(ordering: .acquiring) == seen {
                polls += 1
                guard polls & 1023 == 0 else { continue }
                if DispatchTime.now().uptimeNanoseconds - lastJob > Self.pollingTime {
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if posted.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    lastJob = DispatchTime.now().uptimeNanoseconds
                }
            }
            seen = posted.load(ordering: .acquiring)
            job!(1)
            finished.store(seen, ordering: .releasing)
        }
    }
}

/// Runs `body` over `0..<count` split into two contiguous halves, on both cores (see
/// `BothCores`), or inline as one range when there is too little to share. Each half is
/// always the same range, so per-half results combined in half order are deterministic.
func forEachHalf(_ count: Int, _ body: (Range<Int>, Int) -> Void) {
    if count < 2 {
        body(0..<count, 0)
        return
    }
    let middle = (count + 1) / 2
    BothCores.run { half in
        body(half == 0 ? 0..<middle : middle..<count, half)
    }
}
