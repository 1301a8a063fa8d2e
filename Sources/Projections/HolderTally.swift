import EventSourcing

/// One holder's counts while the custody spans are read; becomes a ``HolderRecord``.
struct HolderTally {
    var holding = 0
    var heldSince: Int64?
    var overdue = 0
    var onTime = 0
    var late = 0
    var handedOver = 0
    /// Milliseconds from receiving to resolving, one per resolution.
    var durations: [Int64] = []

    /// They hold one now, received at `since`.
    mutating func holds(since: Int64, overdue isOverdue: Bool) {
        holding += 1
        heldSince = min(heldSince ?? since, since)
        if isOverdue { overdue += 1 }
    }

    /// They resolved one, `millis` after receiving it.
    mutating func resolved(onTime isOnTime: Bool, millis: Int64) {
        if isOnTime { onTime += 1 } else { late += 1 }
        durations.append(millis)
    }

    func record(unit: String, department: String, assignee: String?) -> HolderRecord {
        let sorted = durations.sorted()
        let denominator = onTime + late + overdue
        return HolderRecord(
            unit: unit, department: department, assignee: assignee, holding: holding,
            heldSince: heldSince.map { Timestamp.format(millis: $0) }, overdue: overdue, resolvedOnTime: onTime, resolvedLate: late,
            handedOver: handedOver, medianDaysToResolve: Days.percentile(0.5, ofSorted: sorted), p90DaysToResolve: Days.percentile(0.9, ofSorted: sorted),
            onTimeRate: denominator == 0 ? nil : (Double(onTime) / Double(denominator) * 10_000).rounded() / 10_000)
    }
}
