import Audit
import Foundation
import HTTPTypes
import Hummingbird
import NIOPosix
import PetitionDomain
import Workers

/// `GET /api/v1/reports`: the periodic report heads send, as `petitionctl report` computes it from the log, in
/// JSON, CSV, Markdown or an Excel workbook.
enum Reports {
    static let parameters: Set<String> = ["unit", "period", "format"]

    static func routes(_ v1: RouterGroup<APIRequestContext>, api: PetitionAPI) {
        v1.get("reports") { request, context in
            let caller = try await APIRoutes.authenticate(api, request, context)
            let q = request.uri.queryParameters
            if let unknown = q.first(where: { !parameters.contains(String($0.key)) }) {
                throw Problem.badRequest("unknown query parameter \(unknown.key); this report takes \(parameters.sorted().joined(separator: ", "))")
            }
            guard let unitText = q.get("unit"), !unitText.isEmpty else { throw Problem.invalid("unit", "is required: the code or name of the unit reported on") }
            guard let periodText = q.get("period"), !periodText.isEmpty else {
                throw Problem.invalid("period", "is required: 2026-06 (a month), 2026-Q1, 2026-H1, 2026-9M or 2026")
            }
            let formatText = q.get("format") ?? "json"
            guard let format = PeriodReport.Format(rawValue: formatText) else {
                throw Problem.invalid("format", "must be json, csv, xlsx or md, got \"\(formatText)\"")
            }
            let (report, unit, period) = try await make(api, caller: caller, unit: unitText, period: periodText)
            let bytes = try report.data(format)
            var headers: HTTPFields = [.contentType: format.mediaType, .cacheControl: "private, no-store"]
            if format != .json {
                headers[.contentDisposition] = "attachment; filename=\"bao-cao-\(unit.code)-\(period.label).\(format.rawValue)\""
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: bytes)))
        }
    }

    /// The report of `unitText` (a code or registered name, within the caller's units) for `periodText`, from the log.
    static func make(_ api: PetitionAPI, caller: Caller, unit unitText: String, period periodText: String) async throws
        -> (PeriodReport, UnitRegistered, ReportPeriod) {
        let period: ReportPeriod
        do throws(ReportPeriodError) { period = try ReportPeriod(periodText) } catch { throw Problem.invalid("period", error.description) }
        let registry = try await api.registry()
        let unit: UnitRegistered
        do throws(DomainError) { unit = try registry.unit(named: unitText) } catch {
            throw Problem(.unprocessableContent, code: error.code, "unit: \(error.message)")
        }
        // Within the caller's units, as every read: a commune's chair reports on the commune, the district's inspector on the district.
        guard !caller.unit.isEmpty, registry.subtree(caller.unit).contains(unit.code) else {
            throw Problem(.forbidden, code: ErrorCode.outOfScope.rawValue,
                          "\(unit.name) is outside your units: you may report on \(registry.units[caller.unit]?.name ?? "none") and the units below it")
        }
        let config = ConfigDirectory(path: api.configDirectory)
        let logPath = api.eventLogPath
        // The whole log is read: on NIO's blocking pool, never on Swift's cooperative one.
        let report = try await NIOThreadPool.singleton.runIfActive { () throws -> PeriodReport in
            let units = try config.units()
            return try PeriodReport.make(unit: unit.code, period: period, logPath: logPath,
                                         configuredParents: units.units.mapValues(\.parent), defaultParent: units.defaults.parent)
        }
        return (report, unit, period)
    }
}
