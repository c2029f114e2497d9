import DigitCompute
import DigitEnvironment
import Foundation

/// How many threads DigitKit computes on: every reading, pipeline and evaluation splits its
/// work that many ways. The default is the number of active cores.
public enum ComputeThreads {
    /// The most threads a count may name.
    public static let maximum = Scheduler.maximumThreads

    /// The count in force for the calling thread.
    public static var count: Int { Scheduler.threads }

    /// Makes every computation use `count` threads (1...`maximum`, else a precondition failure:
    /// take counts from users through `resolve`).
    public static func use(_ count: Int) {
        Scheduler.setDefaultThreads(count)
    }

    /// The count a user asked for, as every `digit` command and `digit serve` read it: `flag`
    /// (the text given to `--threads`) if given, else `$DIGIT_THREADS` in `environment` unless
    /// unset or empty, else the active cores. Throws `ThreadCountError` (one line naming the
    /// flag or variable) when the text chosen is not a whole number from 1 to `maximum`.
    public static func resolve(flag: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        try ThreadCount.resolve(flag: flag, environment: environment,
                                activeCores: ProcessInfo.processInfo.activeProcessorCount, maximum: maximum)
    }
}
