import Audit
import Foundation
import Projections

/// What `petitionctl audit rebuild --json` prints: the rebuild's summary, the instant asked for, and the comparison.
struct AuditRebuildReport: Encodable {
    var summary: RebuildSummary
    /// The rebuilt file was a temporary one (removed afterwards): `out` is null.
    var temporary: Bool
    /// `--as-of`, as RFC 3339; absent when not given.
    var asOf: String?
    /// With `--compare`: the file compared against, and what was found.
    var compare: Comparison?

    /// The `compare` member: `against`, `identical` and every member of the comparison, in one object.
    struct Comparison: Encodable {
        var against: String
        /// The log's head when the comparison began, and the position the views were compared through.
        var logHead: Int64
        var comparedThrough: Int64
        var result: ReadModelComparison

        private enum CodingKeys: String, CodingKey { case against, identical, logHead, behindHead }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(against, forKey: .against)
            try c.encode(result.identical, forKey: .identical)
            try c.encode(logHead, forKey: .logHead)
            try c.encode(max(0, logHead - comparedThrough), forKey: .behindHead)
            try result.encode(to: encoder)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case position, recordedAt, events, foldSeconds, writeSeconds, eventsPerSecond, inBatches, out, asOf, ok, compare
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary.position, forKey: .position)
        try c.encode(summary.recordedAt, forKey: .recordedAt)
        try c.encode(summary.events, forKey: .events)
        try c.encode(summary.foldSeconds, forKey: .foldSeconds)
        try c.encode(summary.writeSeconds, forKey: .writeSeconds)
        try c.encode(summary.eventsPerSecond, forKey: .eventsPerSecond)
        try c.encode(summary.inBatches, forKey: .inBatches)
        try c.encode(temporary ? nil : summary.out, forKey: .out)
        try c.encodeIfPresent(asOf, forKey: .asOf)
        try c.encode(compare?.result.identical ?? true, forKey: .ok)
        try c.encodeIfPresent(compare, forKey: .compare)
    }

    /// The report as one line of JSON, keys sorted.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
