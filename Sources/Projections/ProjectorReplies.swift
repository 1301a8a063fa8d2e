/// The projector's replies (sorted keys, through ``Wire``); refusals are `ErrorReply`.
enum ProjectorReply {
    /// `outstanding`: a page of petitions and how many match in all.
    struct Items: Encodable {
        var ok = true
        var position: Int64
        var count: Int
        var total: Int
        var items: [PetitionView]
        /// The cursor of the next page (`after`), absent on the last.
        var next: String?
    }

    /// `petition.get`: the petition and its chain of hands.
    struct Petition: Encodable {
        var ok = true
        var position: Int64
        var petition: PetitionView
        var custody: [CustodySpan]
    }

    /// `petition.track`: what the citizen holding the tracking code sees.
    struct Tracked: Encodable {
        var ok = true
        var position: Int64
        var petition: TrackedPetition
    }

    /// `responsibility`: per department and per official.
    struct Responsibility: Encodable {
        var ok = true
        var position: Int64
        var today: String
        var departments: [HolderRecord]
        var officials: [HolderRecord]
    }

    /// `alerts`: a page of alerts, newest first, and how many match in all.
    struct Alerts: Encodable {
        var ok = true
        var position: Int64
        var count: Int
        var total: Int
        var items: [AlertView]
        var next: String?
    }

    /// `sessions`: a page of dialogue sessions with their counts, and the totals over every match.
    struct Sessions: Encodable {
        var ok = true
        var position: Int64
        var count: Int
        var total: Int
        var items: [SessionStatistics]
        var totals: SessionTotals
        var next: String?
    }
}
