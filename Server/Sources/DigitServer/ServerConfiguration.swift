import DigitKit
import Foundation

/// How `digit-serve` runs: where it listens, which model it reads with, how many threads.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to bind: loopback unless the user asks for another interface.
    public var host: String
    /// The TCP port; 0 lets the system choose a free one (the one chosen is printed).
    public var port: Int
    /// A model file `digit train` wrote, or nil for the bundled model.
    public var modelPath: String?
    /// How many threads the engine's scheduler splits each reading into, 1 to
    /// `ComputeThreads.maximum`; requests are read concurrently besides, on
    /// `ServerLimits.concurrentReadings` threads.
    public var threads: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, modelPath: String? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.host = host
        self.port = port
        self.modelPath = modelPath
        self.threads = threads
    }

    /// Throws `ConfigurationError` naming the first setting out of range.
    public func validate() throws {
        guard !host.isEmpty else { throw ConfigurationError(message: "--host must not be empty") }
        guard (0...65535).contains(port) else { throw ConfigurationError(message: "--port must be from 0 to 65535, not \(port)") }
        guard (1...ComputeThreads.maximum).contains(threads) else {
            throw ConfigurationError(message: "--threads must be from 1 to \(ComputeThreads.maximum), not \(threads)")
        }
    }
}

/// A server setting out of range, with a one-line message naming it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}

/// The server's limits on what one request may ask of it, so that no request can hold the
/// others up for long.
package enum ServerLimits {
    /// The largest request body read, 16 MiB; a larger one is answered 413.
    package static let maxBodyBytes = 16 << 20
    /// The most pixels a picture may have, checked from its header before it is decoded;
    /// lower than `PNGLimits.maxPixels` because a server reads many pictures at once.
    package static let maxPixels = 12_000_000
    /// How many pictures are decoded and read at once, off the event loops: one per core.
    package static let concurrentReadings = ProcessInfo.processInfo.activeProcessorCount
}
