import EventSourcing
import Foundation
import PetitionDomain

extension Commands {
    /// `petition.note`: write a note on a petition, whatever its status: a clerk or chair on their units' petitions,
    /// an officer on what their department holds (what they are doing, a request for more time).
    public struct Note: PetitionCommandHandler {
        public static let messageType = "petition.note"
        public static let action = Action("add a note to a petition", roles: [.clerk, .chair, .departmentOfficer])
        public var petitionId: String
        public var text: String

        public init(petitionId: String, text: String) { self.petitionId = petitionId; self.text = text }

        public init(fields f: JSONFields) throws(WireError) {
            self.init(petitionId: try f.petitionId(), text: try f.string("text", maxLength: 2000))
        }

        public func encodeFields(into o: inout JSONObjectText) { o.string("petitionId", petitionId); o.string("text", text) }

        public var fingerprintFields: [String] { [petitionId, text] }

        public func decide(in context: inout CommandContext) throws -> [StreamOutput] {
            [try context.decide(Petition.self, petitionId, (petitionId, Petition.AddNote(by: context.actor.id, text: text)))]
        }
    }
}
