import EventStoreSQLite

/// What a batch adds to the holders' records (`holders`, `durations`), written once when the batch ends.
///
/// A department is a holder with assignee "", its officials the others. Holder
/// ids are given in the order holders first appear in the log, so they are the
/// same however the log is cut into batches.
struct HolderLedger {
    struct Holder: Hashable {
        var unit: String
        /// Its name as last recorded (a rename changes it); not what tells a registered department apart.
        var department: String
        /// The registered department's reference (`unit/code`), "" for one recorded before the registry: a registered
        /// department is one holder whatever it was called, a department of the same name in another unit another.
        var departmentRef: String
        /// "" for the department itself.
        var assignee: String

        /// What tells the department apart: its reference, or its name where it has none.
        private var departmentKey: String { departmentRef.isEmpty ? department : departmentRef }

        // Equal and hashed by their UTF-8 bytes, as the `holders` table's UNIQUE key compares them: the names are
        // Vietnamese, and hashing a non-ASCII `String` normalizes it first, a cost the fold paid on every custody change.
        static func == (a: Holder, b: Holder) -> Bool {
            a.unit.utf8.elementsEqual(b.unit.utf8) && a.departmentRef.utf8.elementsEqual(b.departmentRef.utf8)
                && a.departmentKey.utf8.elementsEqual(b.departmentKey.utf8) && a.assignee.utf8.elementsEqual(b.assignee.utf8)
        }

        func hash(into hasher: inout Hasher) {
            func combine(_ text: String) {
                var text = text
                text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(0xFF as UInt8) // never in UTF-8: ends the field
            }
            combine(unit); combine(departmentRef); combine(departmentKey); combine(assignee)
        }
    }

    private struct Counts {
        var onTime: Int64 = 0
        var late: Int64 = 0
        var handedOver: Int64 = 0
    }

    /// Every holder with a record, in the order first seen: a holder's place here is its slot.
    private var order: [Holder] = []
    private var counts: [Counts] = []
    private var slots: [Holder: Int] = [:]
    private var durations: [(slot: Int, millis: Int64, position: Int64)] = []

    /// Makes sure `holder` has a record, even before it closes anything; returns its slot.
    @discardableResult
    mutating func register(_ holder: Holder) -> Int {
        if let slot = slots[holder] { return slot }
        slots[holder] = order.count
        order.append(holder)
        counts.append(Counts())
        return order.count - 1
    }

    /// Department `ref` is now named `name`.
    mutating func rename(department ref: String, to name: String) {
        for i in order.indices where order[i].departmentRef == ref { order[i].department = name }
    }

    /// The holder in `slot` resolved one, `millis` after receiving it, on time or late.
    mutating func resolved(_ slot: Int, onTime: Bool, millis: Int64, position: Int64) {
        if onTime { counts[slot].onTime += 1 } else { counts[slot].late += 1 }
        durations.append((slot, millis, position))
    }

    /// The holder in `slot` handed one over to someone else.
    mutating func handedOver(_ slot: Int) {
        counts[slot].handedOver += 1
    }

    /// The rows of `holders` and `durations` for a fresh file, where ids are given 1, 2, … in the order holders first appeared
    /// (as the projector's file gives them): holders by id, durations in key order.
    func freshRows() -> (holders: [[RawStatement.Value]], durations: [[RawStatement.Value]]) {
        var holders: [[RawStatement.Value]] = []
        holders.reserveCapacity(order.count)
        for (slot, holder) in order.enumerated() {
            let c = counts[slot]
            holders.append([.int(Int64(slot + 1)), .text(holder.unit), .text(holder.department), .text(holder.assignee),
                            .int(c.onTime), .int(c.late), .int(c.handedOver), .text(holder.departmentRef)])
        }
        let sorted = durations.sorted { ($0.slot, $0.millis, $0.position) < ($1.slot, $1.millis, $1.position) }
        return (holders, sorted.map { [.int(Int64($0.slot + 1)), .int($0.millis), .int($0.position)] })
    }

    func write(with w: ReadModelStatements) throws {
        var ids: [Int64] = []
        ids.reserveCapacity(order.count)
        for (slot, holder) in order.enumerated() {
            let id = try w.holderId(holder)
            ids.append(id)
            let c = counts[slot]
            if c.onTime != 0 || c.late != 0 || c.handedOver != 0 {
                try w.countHolder.run([.int(c.onTime), .int(c.late), .int(c.handedOver), .int(id)])
            }
        }
        for d in durations { try w.insertDuration.run([.int(ids[d.slot]), .int(d.millis), .int(d.position)]) }
    }
}
