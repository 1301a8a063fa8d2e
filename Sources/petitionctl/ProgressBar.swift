import Foundation

/// A progress bar on standard error, drawn only when it is a terminal (never into a file or a pipe).
final class ProgressBar {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastDrawn: UInt64 = 0
    private let label: String

    init(_ label: String) { self.label = label }

    /// Shows `done` of `total`, at most ten times a second.
    func update(_ done: Int64, of total: Int64) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDrawn > 100_000_000 || done == total else { return }
        lastDrawn = now
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 30, filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(Int(fraction * 100))%  \(done)/\(total) events".utf8))
    }

    private var finished = false

    /// Ends the bar's line, with `message` after it; later calls do nothing.
    func finish(_ message: String) {
        guard enabled, !finished else { return }
        finished = true
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)\n".utf8))
    }
}
