import Audit
import Testing

struct AuditFilesTests {
    @Test func auditsReadTheFilesOfTheDataFolderTheServersWrite() {
        let files = AuditFiles(dataDirectory: "/srv/petitions")
        #expect(files.eventLog == "/srv/petitions/events.sqlite")
        #expect(files.readModels == "/srv/petitions/projections.sqlite")
    }
}
