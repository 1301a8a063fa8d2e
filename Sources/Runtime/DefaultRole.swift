import PetitionDomain

/// The role a person issuing a command of a message type usually acts in: what `petitionctl` sends unless told `--role`.
public enum DefaultRole {
    public static func forMessageType(_ type: String) -> Role {
        switch type {
        case "session.open", "petition.submit", "petition.feedback", "petition.withdraw": .clerk
        case "petition.answer", "petition.refer", "petition.extend", "petition.reassign", "petition.reopen", "petition.merge": .chair
        case "petition.accept", "petition.resolve": .departmentOfficer
        default: .system
        }
    }
}
