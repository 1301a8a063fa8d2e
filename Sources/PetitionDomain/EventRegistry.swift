import EventSourcing

/// The payload of one domain event type, declared once: its versioned name, its data (read and written
/// here, byte for byte what `JSONEncoder` with sorted keys writes), the event that carries it, and the
/// one line people read in a history. Every consumer finds a type through ``EventRegistry``.
///
/// A new event type: a struct conforming to this (to ``PetitionEventPayload`` for a petition's), its case
/// in the stream's event enum and that enum's `payload`, and a line in ``EventRegistry/types``.
protocol EventPayload: Codable, Hashable, Sendable {
    /// The versioned type name, e.g. `petition.referred.v2`; its schema is `Schemas/events/<eventType>.json`.
    static var eventType: String { get }
    /// Reads the data of a stored record of this type.
    init(reading r: EventJSON.Reader) throws
    /// Writes the data, keys in sorted order.
    func write(to w: inout EventJSON.Writer)
    /// The domain event that carries it.
    var event: DomainEvent { get }
    /// What happened, in one line for a person reading the history (no personal data).
    var summary: String { get }
}

/// A petition event's payload: how it evolves the petition's state, status included.
protocol PetitionEventPayload: EventPayload {
    var petitionId: String { get }
    /// The petition event that carries it.
    var petitionEvent: PetitionEvent { get }
    /// The petition's status after this event, from `status` (the domain's one status rule).
    func status(after status: PetitionStatus) -> PetitionStatus
    /// Everything else the event changes in the decider's state.
    func evolve(_ state: inout PetitionState)
}

extension PetitionEventPayload {
    func status(after status: PetitionStatus) -> PetitionStatus { status }
    var event: DomainEvent { .petition(petitionEvent) }
}

/// Every event type the domain writes and reads, each registered once.
public enum EventRegistry {
    /// Every type written, in the order of the schemas' listing.
    static let types: [any EventPayload.Type] = [
        SessionOpened.self, PetitionSubmitted.self, PetitionAnswered.self,
        PetitionReferred.self, PetitionResolved.self, PetitionFeedback.self, PetitionAccepted.self,
        PetitionExtended.self, PetitionReassigned.self, PetitionReopened.self, PetitionWithdrawn.self,
        PetitionMerged.self, PetitionDuplicateMerged.self, PetitionEscalated.self,
        AlertDelivered.self, AlertDeliveryFailed.self, PersonForgotten.self, PetitionNoteAdded.self,
        RegistryFounded.self, UnitRegistered.self, DepartmentRegistered.self, OfficialAppointed.self, CredentialIssued.self, CredentialRevoked.self,
        PersonalDataAccessed.self, OfficialRoleGranted.self, OfficialRoleWithdrawn.self, OfficialDeactivated.self,
        UnitRenamed.self, UnitsMerged.self, UnitRetired.self, OfficialTransferred.self, DepartmentRenamed.self,
    ]

    /// Older versions still read, each upcast to the current event on read.
    static let upcasters: [String: @Sendable (EventJSON.Reader) throws -> DomainEvent] = [
        // Version 1 had no complexity and no rule; its deadline was always given by the chair.
        EventCodec.referredV1: { r in
            .petition(.referred(PetitionReferred(petitionId: try r.string("petitionId"), department: try r.string("department"),
                                                 assignee: try r.string("assignee"), by: try r.string("by"), deadline: try r.date("deadline"))))
        },
    ]

    /// Older versions whose data the current type reads as it is: versions the next one only extended (their new
    /// members absent, read as nil): the upcast is the current reader itself.
    static let extended: [String: any EventPayload.Type] = [
        SessionOpened.v1: SessionOpened.self,
        SessionOpened.v2: SessionOpened.self,
        PetitionSubmitted.v1: PetitionSubmitted.self,
        PetitionSubmitted.v2: PetitionSubmitted.self,
        PetitionEscalated.v1: PetitionEscalated.self,
        PetitionReferred.v2: PetitionReferred.self,
        PetitionReassigned.v1: PetitionReassigned.self,
    ]

    /// The versioned names of ``types``.
    public static let names: [String] = types.map { $0.eventType }

    /// Each type by its name.
    static let byName: [String: any EventPayload.Type] = Dictionary(uniqueKeysWithValues: types.map { ($0.eventType, $0) })

    /// The schema file of a type name: `Schemas/events/<name>.json`.
    public static func schemaFile(_ name: String) -> String { "Schemas/events/\(name).json" }
}
