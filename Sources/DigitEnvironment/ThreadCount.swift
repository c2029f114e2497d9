/// How many threads the command-line tools compute on: `--threads N`, else `$DIGIT_THREADS`,
/// else the number of active cores.
package enum ThreadCount {
    /// The count to use: `flag` (the text given to `--threads`) if given, else
    /// `$DIGIT_THREADS` in `environment` unless unset or empty, else `activeCores`.
    /// Throws `ThreadCountError` when the text chosen is not a whole number from 1 to `maximum`.
    package static func resolve(flag: String?, environment: [String: String], activeCores: Int,
                                maximum: Int) throws -> Int {
        if let flag { return try parse(flag, source: "--threads", maximum: maximum) }
        if let variable = environment["DIGIT_THREADS"], !variable.isEmpty {
            return try parse(variable, source: "$DIGIT_THREADS", maximum: maximum)
        }
        return min(max(activeCores, 1), maximum)
    }

    /// `text` as a thread count: decimal digits (an optional `+`), 1...`maximum`; `source`
    /// names where it came from in the error.
    package static func parse(_ text: String, source: String, maximum: Int) throws -> Int {
        guard let count = Int(text), (1...maximum).contains(count) else {
            throw ThreadCountError(source: source, text: text, maximum: maximum)
        }
        return count
    }
}

/// A `--threads` or `$DIGIT_THREADS` that is not a whole number from 1 to the maximum.
public struct ThreadCountError: Error, CustomStringConvertible, Equatable, Sendable {
    public let source: String
    public let text: String
    public let maximum: Int

    public var description: String {
        "\(source) must be a whole number of threads from 1 to \(maximum), not '\(text)'"
    }
}
