import DigitKit

/// How `read` prints a reading: one line per file.
enum NumberFormat {
    /// `FILE: 2026 (2 99.8%, 0 99.1%, 2 98.7%, 6 99.9%)`; the texts of several lines of digits
    /// are separated by a space, the per-digit list runs on in reading order.
    static func text(_ reading: NumberReading, path: String) -> String {
        let digits = reading.digits.map { "\($0.prediction.digit) \(percent($0.prediction.confidence, decimals: 1))" }
        return "\(path): \(reading.text(lineSeparator: " ")) (\(digits.joined(separator: ", ")))"
    }
}
