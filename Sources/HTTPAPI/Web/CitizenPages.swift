import EventSourcing
import Foundation
import Hummingbird
import PetitionDomain

/// The receipt a clerk prints for the citizen, and the citizens' own lookup by its tracking code (no login): what
/// the API's `GET /api/v1/track/{code}` shows, as a page, rate-limited the same way.
extension WebApp {
    func citizenRoutes(_ router: Router<APIRequestContext>) {
        router.get("kien-nghi/:id/phieu-nhan") { request, context in
            guard let caller = try? await APIRoutes.authenticate(api, request, context) else { return Self.redirect("/dang-nhap") }
            let id = HTTPJSON.decoded(try context.parameters.require("id"))
            let reply = try await api.query("petition.get", ["petitionId": id, "minPosition": api.lastPosition], caller: caller)
            let p = reply["petition"] as? [String: Any] ?? [:]
            let sessionId = p["sessionId"] as? String ?? ""
            let session = (try? await api.query("sessions", ["sessionId": sessionId, "minPosition": api.lastPosition], caller: caller))
                .flatMap { ($0["items"] as? [[String: Any]])?.first }
            return page("receipt", [
                "title": "Phiếu tiếp nhận \(id)", "petitionId": id, "sessionId": sessionId, "unit": p["unit"] as? String ?? "",
                "session": session?["title"] as? String ?? sessionId,
                "date": (p["submittedAt"] as? String).flatMap(Timestamp.parse).map(Self.date) ?? "",
                "kind": (p["kind"] as? String).flatMap(PetitionKind.init(rawValue:))?.vietnamese ?? "",
                "field": (p["category"] as? String).flatMap(PetitionCategory.init(rawValue:))?.vietnamese.lowercased() ?? "",
                "content": p["content"] as? String ?? "", "trackingCode": p["trackingCode"] as? String ?? "",
            ], caller: caller, request: request)
        }
        router.get("tra-cuu") { request, context in
            var values: [String: Any] = ["title": "Tra cứu kiến nghị"]
            guard let typed = Self.formQuery(request, "ma") else { return page("track", values) }
            values["code"] = typed
            do {
                let p = try await APIRoutes.track(api, typed, context: context)
                var shown: [String: Any] = ["trackingCode": p["trackingCode"] as? String ?? typed, "statusText": p["statusText"] as? String ?? "",
                                            "submitted": p["submittedOn"] as? String ?? ""]
                for key in ["department", "answer", "resolution"] { if let v = p[key] as? String, !v.isEmpty { shown[key] = v } }
                if let d = (p["deadline"] as? String).flatMap(LocalDate.init) { shown["deadline"] = d.vietnamese }
                values["petition"] = shown
                return page("track", values)
            } catch let problem as Problem where [.tooManyRequests, .badRequest, .notFound].contains(problem.status) {
                values["error"] = switch problem.status {
                case .tooManyRequests: "Tra cứu quá nhiều lần từ cùng một máy. Vui lòng thử lại sau \(problem.retryAfter ?? 60) giây."
                case .badRequest: "Mã tra cứu gồm 12 chữ và số như trên phiếu, ví dụ 7KQ2-M9XD-4FTR."
                default: "Không có kiến nghị nào mang mã \(typed). Vui lòng kiểm tra lại mã trên phiếu."
                }
                var response = page("track", values)
                response.status = problem.status
                return response
            }
        }
    }
}
