/// Durations in days, and exact percentiles of them.
enum Days {
    static let millisPerDay = 86_400_000.0

    /// `millis` in days, to 0.01.
    static func rounded(millis: Int64) -> Double { (Double(millis) / millisPerDay * 100).rounded() / 100 }

    /// The `p`-th percentile (0…1) of `sorted` durations, in days to 0.01; nil when there are none.
    ///
    /// Exact, by linear interpolation between the two nearest ranks (Excel's
    /// PERCENTILE.INC, numpy's default): the median of 1, 2, 3, 4 days is 2.5,
    /// the 90th percentile of 1…10 days is 9.1.
    static func percentile(_ p: Double, ofSorted sorted: [Int64]) -> Double? {
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return rounded(millis: first) }
        let rank = p * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        let value = Double(sorted[low]) + (rank - Double(low)) * Double(sorted[high] - sorted[low])
        return (value / millisPerDay * 100).rounded() / 100
    }
}
