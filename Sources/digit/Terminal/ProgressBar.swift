import Foundation

/// A one-line progress bar with ETA on standard error, drawn only when stderr is a
/// terminal (so logs and pipes stay clean), at most ten times a second.
final class ProgressBar {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) != 0
    private let start = Date()
    private var lastDraw = Date.distantPast
    /// Whether the bar is on screen.
    private var drawn = false

    init(label: String) { self.label = label }

    func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = Double(done) / Double(total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = now.timeIntervalSince(start)
        let eta = done > 0 ? elapsed / fraction - elapsed : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: "\r%@ %@ %3d%% %d/%d ETA %.0fs ", label, bar, Int(fraction * 100), done, total, eta)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    /// Erases the bar, if it is on screen, so that lines printed next start clean; the next
    /// `update` draws it again at once.
    func clear() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
        lastDraw = .distantPast
    }

    /// Erases the bar so the next line starts clean.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
