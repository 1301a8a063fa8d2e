import EventSourcing
import Foundation
import PetitionDomain

/// One command the gateway accepts: everything about it in one type, in the style of a command router's handler.
///
/// A handler is the decoded message (its fields, checked for shape), knows its wire form both ways and the
/// parts that make two commands the same, and decides: it loads the states it needs through the gateway's one
/// loader (``CommandContext``), runs the domain's decider and returns the events for each stream. The pipeline
/// around it (``CommandProcessor``: the role check, idempotency, numbering, placing the events, the group commit
/// and the replies) is the same for every command. A new command is a new handler listed in
/// ``GatewayCommand/handlers``.
public protocol CommandHandler: Hashable, Sendable {
    /// The message type on the wire, e.g. `petition.refer` (its schema is `Schemas/messages/<type>.json`).
    static var messageType: String { get }
    /// What the command does, for the role check (done by the pipeline before `decide`).
    static var action: Action { get }
    /// Members of its own whose names would otherwise say who acts (`official.grant`'s `role`: the role granted).
    static var ownMembers: Set<String> { get }
    /// Decodes the command's own fields (the envelope, `type`, `commandId`, `actor`, … is read by ``CommandRequest``).
    init(fields f: JSONFields) throws(WireError)
    /// Writes the command's own fields, named as `init(fields:)` reads them.
    func encodeFields(into o: inout JSONObjectText)
    /// Every field, in a fixed order: what makes two commands the same command (the fingerprint's parts after the type).
    var fingerprintFields: [String] { get }
    /// Decides the command: the events for each stream it changes, its own stream first (named in the reply).
    func decide(in context: inout CommandContext) throws -> [StreamOutput]
}

extension CommandHandler {
    public static var ownMembers: Set<String> { [] }

    /// Whether `other` is the same command.
    func isEqual(to other: any CommandHandler) -> Bool { (other as? Self) == self }
}

/// A command on one existing petition.
public protocol PetitionCommandHandler: CommandHandler {
    /// The petition it acts on.
    var petitionId: String { get }
}

/// A command the gateway accepts, decoded and checked for shape: one of ``handlers``.
public struct GatewayCommand: Hashable, Sendable, CustomStringConvertible {
    /// The command itself.
    public let handler: any CommandHandler

    public init(_ handler: some CommandHandler) { self.handler = handler }

    /// Every command the gateway accepts, one handler each.
    public static let handlers: [any CommandHandler.Type] = [
        Commands.OpenSession.self, Commands.Submit.self, Commands.Answer.self, Commands.Refer.self, Commands.Resolve.self,
        Commands.Feedback.self, Commands.Accept.self, Commands.Extend.self, Commands.Reassign.self, Commands.Reopen.self,
        Commands.Withdraw.self, Commands.Merge.self, Commands.Escalate.self, Commands.RecordDelivery.self,
        Commands.ForgetPerson.self, Commands.Note.self, Commands.RegisterUnit.self, Commands.RegisterDepartment.self,
        Commands.AppointOfficial.self, Commands.IssueCredential.self, Commands.RevokeCredential.self, Commands.RecordAccess.self,
        Commands.GrantRole.self, Commands.WithdrawRole.self, Commands.DeactivateOfficial.self, Commands.TransferOfficial.self,
        Commands.RenameUnit.self, Commands.RenameDepartment.self, Commands.MergeUnits.self, Commands.RetireUnit.self,
    ]

    private static let byMessageType: [String: any CommandHandler.Type] =
        Dictionary(uniqueKeysWithValues: handlers.map { ($0.messageType, $0) })

    /// The message types of commands, as on the wire.
    public static let messageTypes = handlers.map { $0.messageType }

    /// The handler of a command message type.
    public static func handler(forMessageType type: String) -> (any CommandHandler.Type)? { byMessageType[type] }

    /// What a command message type does, for the role check and for clients choosing a role.
    public static func action(forMessageType type: String) -> Action? { byMessageType[type]?.action }

    /// The message type on the wire, e.g. `petition.refer`.
    public var messageType: String { Swift.type(of: handler).messageType }

    /// What the command does, for the role check.
    public var action: Action { Swift.type(of: handler).action }

    /// The petition it acts on, if any.
    public var petitionId: String? { (handler as? any PetitionCommandHandler)?.petitionId }

    /// The handler as a given command type, nil when it is another command.
    public func `as`<H: CommandHandler>(_ type: H.Type) -> H? { handler as? H }

    public static func == (a: GatewayCommand, b: GatewayCommand) -> Bool { a.handler.isEqual(to: b.handler) }
    public func hash(into hasher: inout Hasher) { handler.hash(into: &hasher) }
    public var description: String { "\(handler)" }
}

/// The gateway's commands, one handler type each (listed in ``GatewayCommand/handlers``).
public enum Commands {}

/// A command's field value for a fingerprint: `"\0"` stands for "absent", which no text field can be.
func absentable(_ value: String?) -> String { value ?? "\u{0}" }
