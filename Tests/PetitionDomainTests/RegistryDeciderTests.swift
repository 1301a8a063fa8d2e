import PetitionDomain
import Testing

@Suite("the registry decider: units under the parents their kind allows, departments of registered units")
struct RegistryDeciderTests {
    static func registry(_ commands: [Registry.Command]) throws -> RegistryState {
        try commands.reduce(Registry.initialState) { state, command in Registry.fold(try Registry.decide(command, state), into: state) }
    }
    static let province = Registry.Command.registerUnit(code: "34", name: "Tỉnh Hưng Yên", kind: .province, parent: nil)

    @Test("a commune sits under a province, a hamlet under a commune; each unit is found by its code")
    func tree() throws {
        let state = try Self.registry([Self.province, .registerUnit(code: "26734", name: "Xã Vũ Thư", kind: .commune, parent: "34"),
                                       .registerUnit(code: "26734-01", name: "Thôn Đông", kind: .hamlet, parent: "26734")])
        #expect(state.units["26734"]?.parent == "34")
        #expect(state.units["26734-01"]?.kind == .hamlet)
    }

    @Test("a kind under a parent it cannot sit under, or a top-level unit given a parent, is refused")
    func wrongParents() throws {
        let state = try Self.registry([Self.province])
        for (command, field) in [(Registry.Command.registerUnit(code: "1", name: "Thôn A", kind: .hamlet, parent: "34"), "parent"),
                                 (.registerUnit(code: "2", name: "Tỉnh B", kind: .province, parent: "34"), "parent"),
                                 (.registerUnit(code: "3", name: "Xã C", kind: .commune, parent: nil), "parent")] {
            do { _ = try Registry.decide(command, state); Issue.record("accepted \(command)") } catch { #expect(error.errorCode == .invalidInput, "\(field)") }
        }
    }

    @Test("a department renamed keeps its code; a referral finds it by its old name; a name it has, or another department of the unit has or had, is refused")
    func departmentRename() throws {
        var state = try Self.registry([Self.province, .registerUnit(code: "26734", name: "Xã Vũ Thư", kind: .commune, parent: "34"),
                                       .registerDepartment(unit: "26734", code: "TNMT", name: "Phòng Tài nguyên và Môi trường"),
                                       .registerDepartment(unit: "26734", code: "KT", name: "Phòng Kinh tế"),
                                       .renameDepartment(unit: "26734", code: "KT", name: "Phòng Kinh tế - Hạ tầng")])
        state = Registry.fold(try Registry.decide(.renameDepartment(unit: "26734", code: "TNMT", name: "Phòng Nông nghiệp và Môi trường"), state), into: state)
        #expect(state.departments["26734"]?["TNMT"]?.name == "Phòng Nông nghiệp và Môi trường")
        #expect(state.departmentNames(ref: "26734/TNMT") == ["Phòng Nông nghiệp và Môi trường", "Phòng Tài nguyên và Môi trường"])
        #expect(try state.department(named: "phong tai nguyen va moi truong", near: "26734").ref == "26734/TNMT", "found by its old name")
        for (command, code) in [(Registry.Command.renameDepartment(unit: "26734", code: "TNMT", name: "phòng nông nghiệp và môi trường"), ErrorCode.invalidInput),
                                (.renameDepartment(unit: "26734", code: "TNMT", name: "Phòng Kinh tế"), .alreadyRegistered),
                                (.renameDepartment(unit: "26734", code: "TNMT", name: "Phòng Kinh tế - Hạ tầng"), .alreadyRegistered),
                                (.renameDepartment(unit: "26734", code: "XX", name: "Phòng X"), .notRegistered),
                                (.renameDepartment(unit: "99999", code: "TNMT", name: "Phòng X"), .notRegistered)] {
            do { _ = try Registry.decide(command, state); Issue.record("accepted \(command)") } catch { #expect(error.errorCode == code, "\(command): \(error.message)") }
        }
    }

    @Test("a code taken, or the same name again under the same parent, is already_registered")
    func duplicates() throws {
        let state = try Self.registry([Self.province])
        for command in [Registry.Command.registerUnit(code: "34", name: "Tỉnh Khác", kind: .province, parent: nil),
                        .registerUnit(code: "99", name: "tỉnh hưng yên", kind: .province, parent: nil)] {
            do { _ = try Registry.decide(command, state); Issue.record("accepted \(command)") } catch { #expect(error.errorCode == .alreadyRegistered) }
        }
    }

    @Test("an unknown parent or unit is not_registered, and the message names the closest registered unit")
    func suggestions() throws {
        let state = try Self.registry([Self.province, .registerUnit(code: "26734", name: "Xã Vũ Thư", kind: .commune, parent: "34")])
        do {
            _ = try Registry.decide(.registerDepartment(unit: "xa vu thu", code: "TNMT", name: "Phòng Tài nguyên và Môi trường"), state)
            Issue.record("accepted")
        } catch {
            #expect(error.errorCode == .notRegistered)
            #expect(error.message.contains("26734 (Xã Vũ Thư)"), "\(error.message)")
        }
    }

    @Test("an official's key admits them until it is revoked, and a key is never issued twice, not even after revocation")
    func keys() throws {
        let key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
        var state = try Self.registry([Self.province, .appointOfficial(name: "Trần Văn A", unit: "34", department: nil, roles: [.chair]),
                                       .issueCredential(officialId: "O000001", publicKey: key)])
        #expect(state.official(holding: key)?.name == "Trần Văn A")
        state = Registry.fold(try Registry.decide(.revokeCredential(publicKey: key, reason: "mất máy"), state), into: state)
        #expect(state.official(holding: key) == nil)
        do { _ = try Registry.decide(.issueCredential(officialId: "O000001", publicKey: key), state); Issue.record("issued twice") } catch {
            #expect(error.errorCode == .alreadyRegistered)
        }
        do { _ = try Registry.decide(.issueCredential(officialId: "O000001", publicKey: "short"), state); Issue.record("accepted") } catch {
            #expect(error.errorCode == .invalidInput)
        }
    }

    @Test("officials are numbered in order; one without a role, or an officer without a department, is refused")
    func officials() throws {
        let state = try Self.registry([Self.province, .appointOfficial(name: "Trần Văn A", unit: "34", department: nil, roles: [.chair]),
                                       .appointOfficial(name: "Lê Thị B", unit: "34", department: nil, roles: [.clerk, .administrator])])
        #expect(state.officials.keys.sorted() == ["O000001", "O000002"])
        for command in [Registry.Command.appointOfficial(name: "X", unit: "34", department: nil, roles: []),
                        .appointOfficial(name: "Y", unit: "34", department: nil, roles: [.departmentOfficer]),
                        .appointOfficial(name: "Z", unit: "34", department: nil, roles: [.system])] {
            do { _ = try Registry.decide(command, state); Issue.record("accepted \(command)") } catch { #expect(error.errorCode == .invalidInput) }
        }
    }
}
