import Foundation

extension Petition {
    /// Decides the follow-up commands: feedback, acceptance, extension, reassignment, reopening, withdrawal, merging, escalation.
    static func decideFollowUp(_ command: PetitionCommand, id: String, _ state: PetitionState) throws(DomainError) -> [PetitionEvent] {
        switch command {
        case let .feedback(satisfied, comment, by):
            guard let subject = state.awaitingFeedback else {
                if state.status == .answered || state.status == .resolved { throw .feedbackAlreadyRecorded(id) }
                throw .invalidTransition(id, command.verb, status: state.status, hint: "feedback is given on an on-site answer or a resolution")
            }
            try require(by, "by")
            try require(comment, "comment", allowEmpty: true)
            return [.feedback(PetitionFeedback(petitionId: id, on: subject, satisfied: satisfied, comment: comment, by: by))]

        case let .accept(by):
            try expect(state, id, command, in: [.referred])
            guard !state.accepted else { throw .alreadyAccepted(id, department: state.department ?? "") }
            try require(by, "by")
            return [.accepted(PetitionAccepted(petitionId: id, department: state.department ?? "", by: by))]

        case let .extend(by, approver, decision, requested, context):
            try expect(state, id, command, in: [.referred])
            try require(by, "by")
            try require(approver, "approver")
            try require(decision, "decision")
            guard let current = state.deadline else { throw .invalidTransition(id, command.verb, status: state.status, hint: "it has no deadline") }
            let limit = try context.policy.extensionDeadline(kind: state.kind ?? .recommendation, complexity: state.complexity, current: current,
                                                             extensionsSoFar: state.extensions, calendar: context.calendar)
            let deadline = requested ?? limit
            guard deadline > current else { throw .invalidInput("deadline", "the new deadline \(deadline) must be after the current one, \(current)") }
            guard deadline <= limit else { throw .extensionTooLong(id, requested: deadline, limit: limit) }
            return [.extended(PetitionExtended(petitionId: id, by: by, approver: approver, decision: decision, previousDeadline: current,
                                               deadline: deadline, extensionNumber: state.extensions + 1))]

        case let .reassign(department, assignee, by, reason, departmentRef):
            try expect(state, id, command, in: [.referred])
            try require(department, "department")
            try require(assignee, "assignee")
            try require(by, "by")
            try require(reason, "reason")
            let sameDepartment = departmentRef.map { $0 == state.departmentRef } ?? (department == state.department)
            guard !sameDepartment || assignee != state.assignee else {
                throw .invalidInput("assignee", "it is already held by \(assignee) of \(department)")
            }
            return [.reassigned(PetitionReassigned(petitionId: id, fromDepartment: state.department ?? "", fromAssignee: state.assignee ?? "",
                                                   department: department, assignee: assignee, by: by, reason: reason, departmentRef: departmentRef))]

        case let .reopen(by, reason):
            try expect(state, id, command, in: [.answered, .resolved])
            try require(by, "by")
            try require(reason, "reason")
            return [.reopened(PetitionReopened(petitionId: id, by: by, reason: reason))]

        case let .withdraw(by, reason):
            try expect(state, id, command, in: [.submitted, .reopened, .referred])
            try require(by, "by")
            try require(reason, "reason")
            return [.withdrawn(PetitionWithdrawn(petitionId: id, by: by, reason: reason))]

        case let .merge(into, target, by, reason):
            try expect(state, id, command, in: [.submitted, .reopened, .referred])
            guard into != id else { throw .invalidInput("into", "a petition cannot be merged into itself") }
            try requireCarrier(target, into)
            try require(by, "by")
            try require(reason, "reason")
            return [.merged(PetitionMerged(petitionId: id, into: into, by: by, reason: reason))]

        case let .attachDuplicate(duplicateId, citizen, by):
            try requireCarrier(state, id)
            return [.duplicateMerged(PetitionDuplicateMerged(petitionId: id, duplicateId: duplicateId, citizen: citizen, by: by))]

        case let .escalate(level, deadline, due, recipient, alertId):
            guard state.status == .referred, state.deadline == deadline else { throw .escalationNotDue(id, level: level, deadline: deadline) }
            guard !state.escalations.contains(PetitionState.escalationKey(level, deadline)) else {
                throw .alreadyEscalated(id, level: level, deadline: deadline)
            }
            try require(recipient, "recipient")
            return [.escalated(PetitionEscalated(petitionId: id, level: level, deadline: deadline, due: due, unit: state.unit ?? "",
                                                 department: state.department ?? "", assignee: state.assignee ?? "", recipient: recipient,
                                                 alertId: alertId))]

        case .submit, .answer, .refer, .resolve:
            preconditionFailure("decided in Petition.decide")
        }
    }

    /// A petition that can carry a duplicate on: it exists and was neither withdrawn nor merged itself.
    private static func requireCarrier(_ target: PetitionState, _ id: String) throws(DomainError) {
        switch target.status {
        case .none: throw .petitionNotFound(id)
        case .withdrawn: throw .invalidInput("into", "petition \(id) was withdrawn; merge into a petition that is still followed")
        case .merged: throw .invalidInput("into", "petition \(id) was itself merged into \(target.mergedInto ?? "another"); merge into that one")
        default: return
        }
    }
}
