import Foundation
import Testing
import TestSupport

/// The data folder holds every citizen's sealed data and their keys: no one but its owner may read it.
@Suite(.serialized)
struct DataFolderPermissionsTests {
    /// Every entry under `folder` whose mode lets group or others in, as `path mode`.
    static func openEntries(_ folder: String) throws -> [String] {
        var open: [String] = []
        let all = [folder] + (FileManager.default.subpaths(atPath: folder) ?? []).map { (folder as NSString).appendingPathComponent($0) }
        for path in all {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { continue }
            if info.st_mode & 0o077 != 0 { open.append("\(path) \(String(info.st_mode & 0o777, radix: 8))") }
        }
        return open
    }

    @Test func aDataFolderLeftOpenByAnEarlierVersionIsClosedAndEverythingTheSystemWritesIsTheOwnersOnly() throws {
        let system = try TestSystem()
        // As an earlier version left it: the folder 0755, an old file 0644.
        let old = (system.dataDirectory as NSString).appendingPathComponent("notes-from-before.txt")
        try Data("x".utf8).write(to: URL(fileURLWithPath: old))
        chmod(old, 0o644)
        chmod(system.dataDirectory, 0o755)
        #expect(try !Self.openEntries(system.dataDirectory).isEmpty)

        try system.start()
        let reply = try #require(try system.request(system.endpoints.commands, TestSystem.command("session.open", [
            "unit": "Xã Bình Thành", "title": "Đối thoại", "chair": "Trần Văn A"])))
        #expect(reply["ok"] as? Bool == true, "\(reply)")
        let files = try FileManager.default.contentsOfDirectory(atPath: system.dataDirectory)
        #expect(files.contains("events.sqlite") && files.contains("events.sqlite-wal") && files.contains("projections.sqlite"), "\(files)")
        #expect(try Self.openEntries(system.dataDirectory) == [], "group and others have no access to anything in the data folder")
    }
}
