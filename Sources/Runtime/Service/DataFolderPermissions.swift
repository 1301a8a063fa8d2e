import Foundation

/// A data folder open to its owner only: folders 0700, files 0600.
public enum DataFolderPermissions {
    /// Takes group and other permissions off `folder` and everything in it (its log, keys, read model, logs and
    /// configuration), leaving the owner's as they are; returns how many entries it changed. Symbolic links are
    /// not followed.
    @discardableResult
    public static func restrict(_ folder: String) throws -> Int {
        var changed = 0
        func restrict(_ path: String) throws {
            var info = stat()
            guard lstat(path, &info) == 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))", exitCode: 2) }
            guard (info.st_mode & S_IFMT) != S_IFLNK else { return }
            if info.st_mode & 0o077 != 0 {
                guard chmod(path, info.st_mode & 0o700) == 0 else {
                    throw CLIError("cannot make \(path) private (chmod): \(String(cString: strerror(errno)))", exitCode: 2)
                }
                changed += 1
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                for entry in try FileManager.default.contentsOfDirectory(atPath: path) { try restrict((path as NSString).appendingPathComponent(entry)) }
            }
        }
        try restrict(folder)
        return changed
    }
}
