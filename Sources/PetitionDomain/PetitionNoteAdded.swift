/// `petition.note-added.v1`: a clerk or the chair wrote a note on the petition (a phone call, a visit, a paper
/// filed); it changes nothing else.
public struct PetitionNoteAdded: Codable, Hashable, Sendable {
    public static let eventType = "petition.note-added.v1"
    public var petitionId: String
    /// Who wrote it.
    public var by: String
    /// The note, as written.
    public var text: String

    public init(petitionId: String, by: String, text: String) {
        self.petitionId = petitionId
        self.by = by
        self.text = text
    }
}

extension PetitionNoteAdded: PetitionEventPayload {
    init(reading r: EventJSON.Reader) throws {
        self.init(petitionId: try r.string("petitionId"), by: try r.string("by"), text: try r.string("text"))
    }
    func write(to w: inout EventJSON.Writer) { w.add("by", by); w.add("petitionId", petitionId); w.add("text", text) }
    var petitionEvent: PetitionEvent { .noteAdded(self) }
    var summary: String { "ghi chú của \(by): \(text)" }
    func evolve(_ state: inout PetitionState) {}
}

extension Petition {
    /// Write a note on a petition, whatever its status.
    public struct AddNote: PetitionDecision, Hashable {
        public var by: String
        public var text: String

        public init(by: String, text: String) { self.by = by; self.text = text }

        public var verb: String { "add a note to" }

        public func decide(_ id: String, _ state: PetitionState) throws(DomainError) -> [PetitionEvent] {
            try require(by, "by")
            try require(text, "text", max: 2000)
            return [.noteAdded(PetitionNoteAdded(petitionId: id, by: by, text: text))]
        }
    }
}
