import Foundation

/// A data folder open to its owner only: folders 0700, files 0600.
public enum DataFolderPermissions {
    /// Takes group and other permissions off `folder` and everything in it (its log, keys, read model, logs and
    /// configuration), leaving the owner's as they are; returns how many entries it changed. Symbolic links are
    /// not followed.
    @discardableResult
    public static func restrict(_ folder: String) throws -> Int {
        var changed = 0
        // Another process may be at work in the folder (SQLite's transient `-journal`): an entry that is gone by
        // the time it is looked at needs no restricting.
        func restrict(_ path: String, isRoot: Bool = false) throws {
            var info = stat()
            guard lstat(path, &info) == 0 else {
                if errno == ENOENT && !isRoot { return }
                throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))", exitCode: 2)
            }
            guard (info.st_mode & S_IFMT) != S_IFLNK else { return }
            if info.st_mode & 0o077 != 0 {
                guard chmod(path, info.st_mode & 0o700) == 0 || (errno == ENOENT && !isRoot) else {
                    throw CLIError("cannot make \(path) private (chmod): \(String(cString: strerror(errno)))", exitCode: 2)
                }
                changed += 1
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                    if !isRoot && lstat(path, &info) != 0 { return }
                    throw CLIError("cannot list \(path): \(String(cString: strerror(errno)))", exitCode: 2)
                }
                for entry in entries { try restrict((path as NSString).appendingPathComponent(entry)) }
            }
        }
        try restrict(folder, isRoot: true)
        return changed
    }
}
