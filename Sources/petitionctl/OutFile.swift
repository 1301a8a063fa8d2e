import Foundation
import Runtime

/// The one rule for every `--out FILE`: an existing file is refused unless `--force` is given (exit 2, nothing written;
/// with `--json` the error reply's code is `invalid_input`: the CLI refuses it itself).
enum OutFile {
    static func refuseExisting(_ out: String?, force: Bool) throws {
        guard let out, !force, FileManager.default.fileExists(atPath: out) else { return }
        throw CLIError("\(out) already exists; choose another --out or add --force to replace it", exitCode: 2, code: .invalidInput)
    }
}
