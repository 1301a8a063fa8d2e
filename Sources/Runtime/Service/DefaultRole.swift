import Messaging
import PetitionDomain

/// The role a person issuing a command of a message type usually acts in: what `petitionctl` sends unless told `--role`.
public enum DefaultRole {
    public static func forMessageType(_ type: String) -> Role {
        GatewayCommand.action(forMessageType: type)?.roles.first ?? .system
    }
}
