/// Durations in days, and exact percentiles of them.
enum Days {
    static let millisPerDay = 86_400_000.0

    /// `millis` in days, to 0.01.
    static func rounded(millis: Int64) -> Double { rounded(Double(millis)) }

    private static func rounded(_ millis: Double) -> Double { (millis / millisPerDay * 100).rounded() / 100 }

    /// Where the `p`-th percentile (0…1) of `count` sorted values lies: the offset of the lower of the two values
    /// it interpolates between, and the weight of the upper one.
    ///
    /// Exact, by linear interpolation between the two nearest ranks (Excel's
    /// PERCENTILE.INC, numpy's default): the median of 1, 2, 3, 4 days is 2.5,
    /// the 90th percentile of 1…10 days is 9.1.
    static func rank(_ p: Double, count: Int) -> (offset: Int, weight: Double) {
        let rank = p * Double(max(0, count - 1))
        let offset = Int(rank.rounded(.down))
        return (offset, rank - Double(offset))
    }

    /// The percentile between `low` and `high` (the values at `offset` and `offset + 1`), in days to 0.01.
    static func interpolate(_ low: Int64, _ high: Int64, weight: Double) -> Double {
        rounded(Double(low) + weight * Double(high - low))
    }
}
