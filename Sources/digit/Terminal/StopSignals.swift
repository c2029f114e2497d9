import Dispatch
import Foundation

/// Turns SIGINT (Ctrl-C) and SIGTERM into a request to stop at the next safe point.
///
/// The first signal is only recorded, so long work can save its state and exit with
/// `128 + signal`; a second one exits at once (every file is written atomically, so
/// nothing is left half-written).
final class StopSignals {
    private let lock = NSLock()
    private var first: Int32?
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, if any.
    var received: Int32? { lock.withLock { first } }

    /// The conventional exit status for a process stopped by `signal`: 130 for SIGINT, 143 for SIGTERM.
    static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    private func received(_ number: Int32) {
        let alreadyStopping = lock.withLock { () -> Bool in
            defer { if first == nil { first = number } }
            return first != nil
        }
        if alreadyStopping {
            FileHandle.standardError.write(Data("\nstopped at once\n".utf8))
            exit(Self.exitStatus(for: number))
        }
    }
}
