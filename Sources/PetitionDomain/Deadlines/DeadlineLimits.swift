/// The time limits for one petition kind: how days are counted, how many for each case, and how
/// the deadline may be extended. A petition of "especially complex" complexity has the complex
/// limit; complexity matters for its extensions.
public struct DeadlineLimits: Sendable, Hashable {
    /// Calendar days or working days.
    public var counting: DayCounting
    /// The limit for a normal petition.
    public var normalDays: Int
    /// Also for especially complex petitions.
    public var complexDays: Int
    /// In a remote or difficult area (vùng sâu, vùng xa, đi lại khó khăn).
    public var remoteDays: Int
    /// A complex (or especially complex) petition in a remote or difficult area.
    public var remoteComplexDays: Int
    /// How many times a normal petition's deadline may be extended; 0 forbids extension.
    public var maxExtensionsNormal: Int
    /// How many times a complex petition's deadline may be extended.
    public var maxExtensionsComplex: Int
    /// How many times an especially complex petition's deadline may be extended.
    public var maxExtensionsEspeciallyComplex: Int
    /// The length of one extension, counted like the limit.
    public var extensionDays: Int
    /// The legal basis or the unit's decision, for an auditor, e.g. "Luật Khiếu nại 2011, Điều 28".
    public var basis: String

    /// Limits as given; `DeadlinePolicy(limits:)` checks them.
    public init(counting: DayCounting, normalDays: Int, complexDays: Int, remoteDays: Int, remoteComplexDays: Int,
                maxExtensionsNormal: Int, maxExtensionsComplex: Int, maxExtensionsEspeciallyComplex: Int,
                extensionDays: Int, basis: String) {
        self.counting = counting
        self.normalDays = normalDays
        self.complexDays = complexDays
        self.remoteDays = remoteDays
        self.remoteComplexDays = remoteComplexDays
        self.maxExtensionsNormal = maxExtensionsNormal
        self.maxExtensionsComplex = maxExtensionsComplex
        self.maxExtensionsEspeciallyComplex = maxExtensionsEspeciallyComplex
        self.extensionDays = extensionDays
        self.basis = basis
    }

    /// The limit in days for a petition of this complexity, in a remote area or not.
    public func days(complexity: Complexity, remote: Bool) -> Int {
        switch (complexity, remote) {
        case (.normal, false): normalDays
        case (.normal, true): remoteDays
        case (_, false): complexDays
        case (_, true): remoteComplexDays
        }
    }

    /// How many extensions a petition of this complexity may have.
    public func maxExtensions(_ complexity: Complexity) -> Int {
        switch complexity {
        case .normal: maxExtensionsNormal
        case .complex: maxExtensionsComplex
        case .especiallyComplex: maxExtensionsEspeciallyComplex
        }
    }
}
