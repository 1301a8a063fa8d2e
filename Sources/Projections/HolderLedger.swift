import EventStoreSQLite

/// What a batch adds to the holders' records (`holders`, `durations`), written once when the batch ends.
///
/// A department is a holder with assignee "", its officials the others. Holder
/// ids are given in the order holders first appear in the log, so they are the
/// same however the log is cut into batches.
struct HolderLedger {
    struct Holder: Hashable {
        var unit: String
        var department: String
        /// "" for the department itself.
        var assignee: String
    }

    private struct Counts {
        var onTime: Int64 = 0
        var late: Int64 = 0
        var handedOver: Int64 = 0
    }

    private var order: [Holder] = []
    private var counts: [Holder: Counts] = [:]
    private var durations: [(holder: Holder, millis: Int64, position: Int64)] = []

    /// Makes sure `holder` has a record, even before it closes anything.
    mutating func register(_ holder: Holder) {
        if counts[holder] == nil {
            counts[holder] = Counts()
            order.append(holder)
        }
    }

    /// `holder` resolved one, `millis` after receiving it, on time or late.
    mutating func resolved(_ holder: Holder, onTime: Bool, millis: Int64, position: Int64) {
        register(holder)
        if onTime { counts[holder]!.onTime += 1 } else { counts[holder]!.late += 1 }
        durations.append((holder, millis, position))
    }

    /// `holder` handed one over to someone else.
    mutating func handedOver(_ holder: Holder) {
        register(holder)
        counts[holder]!.handedOver += 1
    }

    /// The rows of `holders` and `durations` for a fresh file, where ids are given 1, 2, … in the order holders first appeared
    /// (as the projector's file gives them): holders by id, durations in key order.
    func freshRows() -> (holders: [[RawStatement.Value]], durations: [[RawStatement.Value]]) {
        var ids: [Holder: Int64] = [:]
        var holders: [[RawStatement.Value]] = []
        holders.reserveCapacity(order.count)
        for (i, holder) in order.enumerated() {
            let id = Int64(i + 1)
            ids[holder] = id
            let c = counts[holder]!
            holders.append([.int(id), .text(holder.unit), .text(holder.department), .text(holder.assignee),
                            .int(c.onTime), .int(c.late), .int(c.handedOver)])
        }
        let sorted = durations.map { (id: ids[$0.holder]!, millis: $0.millis, position: $0.position) }.sorted {
            ($0.id, $0.millis, $0.position) < ($1.id, $1.millis, $1.position)
        }
        return (holders, sorted.map { [.int($0.id), .int($0.millis), .int($0.position)] })
    }

    func write(with w: ReadModelStatements) throws {
        var ids: [Holder: Int64] = [:]
        for holder in order {
            let id = try w.holderId(holder)
            ids[holder] = id
            let c = counts[holder]!
            if c.onTime != 0 || c.late != 0 || c.handedOver != 0 {
                try w.countHolder.run([.int(c.onTime), .int(c.late), .int(c.handedOver), .int(id)])
            }
        }
        for d in durations { try w.insertDuration.run([.int(ids[d.holder]!), .int(d.millis), .int(d.position)]) }
    }
}
