#!/usr/bin/env python3
"""Builds Schemas/openapi.json, the HTTP API's OpenAPI 3.1 document, from the JSON Schemas beside it
(the commands' and replies' schemas in messages/, common.json), so a member changes in one place.

    python3 Schemas/build-openapi.py && python3 Schemas/embed-openapi.py
"""
import copy
import os
import json
import re

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = ROOT + "/openapi.json"
S = "#/components/schemas/"


def load(path):
    with open(f"{ROOT}/{path}", encoding="utf-8") as f:
        return json.load(f)


def rewrite(node, mapping):
    """Rewrites every $ref through `mapping` (prefix -> replacement) and drops $schema/$id."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("$schema", "$id"):
                continue
            if k == "$ref":
                for old, new in mapping:
                    if v.startswith(old):
                        v = new + v[len(old):]
                        break
                else:
                    raise SystemExit(f"unmapped $ref {v}")
                out[k] = v
            else:
                out[k] = rewrite(v, mapping)
        return out
    if isinstance(node, list):
        return [rewrite(x, mapping) for x in node]
    return node


COMMON_MAP = [("#/$defs/", S)]
MSG_MAP = [("../common.json#/$defs/", S), ("petition-view.json", S + "PetitionView"), ("../cloudevent.json", S + "CloudEvent"),
           ("#/$defs/trackedPetition", S + "TrackedPetition")]
CE_MAP = [("common.json#/$defs/", S)]

schemas = {}

# --- Shared definitions, copied from Schemas/common.json -------------------------------------------------------
common = load("common.json")["$defs"]
for name in ["noControl", "textRules", "identifier", "requestText", "storedText", "integerRules", "instantRules", "timestamp",
             "dateRules", "date", "hash", "position", "head", "sessionId", "petitionId", "streamName", "alertId", "personId",
             "eventType", "kind", "category", "status", "role", "complexity", "escalationLevel", "phone", "errorCode", "personalData"]:
    schemas[name] = rewrite(common[name], COMMON_MAP)

# --- Problem -----------------------------------------------------------------------------------------------------
schemas["Problem"] = {
    "title": "Problem (RFC 9457)",
    "description": "Mọi lời từ chối đều là một tài liệu application/problem+json (RFC 9457). / Every refusal is an RFC 9457 problem "
                   "document (Sources/HTTPAPI/Problem.swift), with exactly these five members, always present. `code` is stable: "
                   "the gateway's or projector's own error code (PROTOCOL.md section 10, components/schemas/errorCode) or the "
                   "API's own: `unauthenticated` (401), `locked` (429, a login locked after failed attempts), `internal` (500), "
                   "and `not_found` / `bad_request` for Hummingbird's own refusals (no such route or method). `detail` says "
                   "what is wrong, in English, without personal data. HTTP status per code: bad_request, unknown_type → 400; "
                   "too_large → 413; missing_field, wrong_type, invalid_value, invalid_input, deadline_before_referral, "
                   "extension_too_long, extension_not_allowed, no_calendar, not_registered, command_id_conflict → 422; "
                   "session_not_found, petition_not_found, person_not_found, not_found, alert_not_found → 404; not_permitted, "
                   "not_holder, out_of_scope → 403; invalid_transition, session_already_exists, petition_already_exists, "
                   "feedback_already_recorded, already_accepted, escalation_not_due, already_escalated, already_delivered, "
                   "already_forgotten, already_registered → 409; erased → 410; version_mismatch → 412; overloaded → 429; "
                   "unavailable, not_applied, not_running → 503; anything else → 500.",
    "type": "object",
    "properties": {
        "type": {"type": "string", "description": "https://petition-followup.example/problems/<code>.",
                 "examples": ["https://petition-followup.example/problems/petition_not_found"]},
        "title": {"type": "string", "description": "The HTTP status's reason phrase, e.g. Not Found."},
        "status": {"type": "integer", "minimum": 100, "maximum": 599, "description": "The HTTP status, as in the response."},
        "code": {"type": "string", "description": "The stable error code (see the schema's description).",
                 "examples": ["petition_not_found", "unauthenticated", "version_mismatch"]},
        "detail": {"type": "string", "description": "What is wrong and what to do, for a person."},
    },
    "required": ["type", "title", "status", "code", "detail"],
    "additionalProperties": False,
}

# --- Request bodies derived from the gateway's commands -------------------------------------------------------------
RESERVED = {"type", "commandId", "actor", "role", "actorDepartment", "onBehalfOf", "expectedVersion", "petitionId"}
COMMANDS = [
    ("session.open", "SessionOpenRequest", None),
    ("petition.submit", "PetitionSubmitRequest", None),
    ("petition.answer", "PetitionAnswerRequest", "answer"),
    ("petition.refer", "PetitionReferRequest", "refer"),
    ("petition.accept", "PetitionAcceptRequest", "accept"),
    ("petition.extend", "PetitionExtendRequest", "extend"),
    ("petition.reassign", "PetitionReassignRequest", "reassign"),
    ("petition.resolve", "PetitionResolveRequest", "resolve"),
    ("petition.feedback", "PetitionFeedbackRequest", "feedback"),
    ("petition.reopen", "PetitionReopenRequest", "reopen"),
    ("petition.withdraw", "PetitionWithdrawRequest", "withdraw"),
    ("petition.merge", "PetitionMergeRequest", "merge"),
    ("petition.note", "PetitionNoteRequest", "notes"),
]
WHO = {}
for command, name, action in COMMANDS:
    src = load(f"messages/{command}.json")
    m = re.search(r"Who may send it: an official holding the role ([a-z_, ]+?) \(", src["description"])
    WHO[command] = m.group(1).replace(" or ", ", ") if m else ""
    route = "POST /api/v1/sessions" if command == "session.open" else "POST /api/v1/petitions" if action is None else f"POST /api/v1/petitions/{{id}}/{action}"
    body = {
        "title": f"{route} (body)",
        "description": (f"Thân yêu cầu: các thành phần của lệnh {command} (Schemas/messages/{command}.json), trừ những gì URL, "
                        f"tiêu đề và phiên đăng nhập đã nói. / The body of {route}: the members of the gateway command "
                        f"{command} without type, commandId (the Idempotency-Key header), petitionId (the URL), expectedVersion "
                        f"(If-Match) and who acts (actor, role, actorDepartment, onBehalfOf: the official logged in); any of "
                        f"those in the body is refused with 422 invalid_value"
                        + (" (petitionId too)" if action else "") +
                        ". The server ignores other unknown members and treats null like an absent member; this schema refuses "
                        "unknown members so that a misspelt one is caught, and, as Schemas/common.json says, is slightly "
                        "stricter than the server (it trims and NFC-normalises text). The command: " + src["description"]),
        "type": "object",
        "properties": {k: rewrite(v, MSG_MAP) for k, v in src["properties"].items() if k not in RESERVED},
        "required": [k for k in src["required"] if k not in RESERVED],
        "additionalProperties": False,
    }
    if "allOf" in src:
        body["allOf"] = rewrite(src["allOf"], MSG_MAP)
    if not body["required"]:
        del body["required"]
    schemas[name] = body

schemas["LoginRequest"] = {
    "title": "POST /api/v1/login (body)",
    "description": "Tên đăng nhập và mật khẩu do quản trị viên cấp. / The login and password an administrator gave "
                   "(`petitionctl official password`). `session`: `bearer` (the default: the reply carries a token for "
                   "`Authorization: Bearer`) or `cookie` (a browser: the reply sets the HttpOnly cookie petition_session "
                   "instead). The server ignores other members.",
    "type": "object",
    "properties": {
        "login": {"type": "string", "minLength": 1, "description": "The login; required, not empty (else 422)."},
        "password": {"type": "string", "minLength": 1, "description": "The password; required, not empty (else 422)."},
        "session": {"enum": ["bearer", "cookie", None],
                    "description": "bearer (default, also for null) or cookie; anything else is 422 invalid_value."},
    },
    "required": ["login", "password"],
    "additionalProperties": False,
}

# --- Replies ------------------------------------------------------------------------------------------------------
reply = load("messages/command-reply.json")["$defs"]["success"]
cr = rewrite(reply, MSG_MAP)
del cr["properties"]["ok"]
cr["required"].remove("ok")
cr["title"] = "Command result"
cr["description"] = ("Kết quả của một lệnh đã được ghi vào nhật ký. / The gateway's reply to a committed command "
                     "(Schemas/messages/command-reply.json, success) without its member ok. commandId is "
                     "api.<officialId>.<Idempotency-Key> when the request gave one, else a fresh id. A request repeated with "
                     "the same Idempotency-Key and the same body gets the first reply again. The ETag header is "
                     "\"<streamVersion>\", for If-Match on the petition's next action.")
schemas["CommandResult"] = cr

schemas["PetitionView"] = rewrite(load("messages/petition-view.json"), MSG_MAP)

pr = load("messages/petition-reply.json")
schemas["CustodySpan"] = rewrite(pr["properties"]["custody"]["items"], MSG_MAP)
schemas["CustodySpan"]["title"] = "Custody span"
schemas["PetitionDetail"] = {
    "title": "GET /api/v1/petitions/{id} (reply)",
    "description": "Kiến nghị, chuỗi người giữ và phiên bản của nó. / The projector's petition.get reply "
                   "(Schemas/messages/petition-reply.json) without ok, plus version: the number of events in the "
                   "petition's stream, also sent as ETag \"<version>\" for If-Match and If-None-Match.",
    "type": "object",
    "properties": {
        "position": rewrite(pr["properties"]["position"], MSG_MAP),
        "petition": {"$ref": S + "PetitionView"},
        "custody": {"type": "array", "items": {"$ref": S + "CustodySpan"},
                    "description": pr["properties"]["custody"]["description"]},
        "version": {"type": "integer", "minimum": 0,
                    "description": "The petition's stream version (how many events it has), as in the ETag."},
    },
    "required": ["position", "petition", "custody", "version"],
    "additionalProperties": False,
}

ce = rewrite({k: v for k, v in load("cloudevent.json").items() if k != "allOf"}, CE_MAP)
ce["properties"]["data"]["description"] = ("The event's data; its shape depends on type (Schemas/events/<type>.json). A "
                                           "citizen's personal data in it is sealed (encrypted), never in clear.")
schemas["CloudEvent"] = ce

hr = load("messages/history-reply.json")
schemas["PetitionHistory"] = {
    "title": "GET /api/v1/petitions/{id}/history (reply)",
    "description": "Các sự kiện của kiến nghị (dữ liệu cá nhân đã được niêm phong). / The gateway's stream.read reply for "
                   "stream petition-<id> (Schemas/messages/history-reply.json) without ok: the log's head and the "
                   "petition's events in order, personal data sealed. ETag \"<number of events>\".",
    "type": "object",
    "properties": {"head": rewrite(hr["properties"]["head"], MSG_MAP),
                   "events": {"type": "array", "items": {"$ref": S + "CloudEvent"},
                              "description": "The petition's records, in order (a page stops at 4 MiB)."}},
    "required": ["head", "events"],
    "additionalProperties": False,
}


def without_ok(path, title, description):
    d = rewrite(load(path), MSG_MAP)
    del d["properties"]["ok"]
    d["required"].remove("ok")
    d["title"] = title
    d["description"] = description + " / " + d["description"].replace("Refusals are messages/error-reply.json.", "").strip() + " Without its member ok."
    return d


schemas["OutstandingList"] = without_ok("messages/outstanding-reply.json", "GET /api/v1/outstanding (reply)",
                                        "Các kiến nghị còn phải xử lý.")
schemas["SearchResults"] = without_ok("messages/search-reply.json", "GET /api/v1/search (reply)", "Kết quả tìm kiếm kiến nghị.")

resp = without_ok("messages/responsibility-reply.json", "GET /api/v1/responsibility (reply)",
                  "Trách nhiệm giải quyết theo cơ quan và theo cán bộ.")
schemas["DepartmentRecord"] = dict(resp["properties"]["departments"]["items"], title="Department record")
schemas["OfficialRecord"] = dict(resp["properties"]["officials"]["items"], title="Official record")
resp["properties"]["departments"]["items"] = {"$ref": S + "DepartmentRecord"}
resp["properties"]["officials"]["items"] = {"$ref": S + "OfficialRecord"}
schemas["ResponsibilityReport"] = resp

al = without_ok("messages/alerts-reply.json", "GET /api/v1/alerts (reply)", "Các cảnh báo quá hạn và việc gửi chúng.")
alert = al["properties"]["items"]["items"]
schemas["AlertDelivery"] = dict(alert["properties"]["deliveries"]["items"], title="Alert delivery")
alert["properties"]["deliveries"]["items"] = {"$ref": S + "AlertDelivery"}
schemas["AlertView"] = dict(alert, title="Alert")
al["properties"]["items"]["items"] = {"$ref": S + "AlertView"}
schemas["AlertList"] = al

se = without_ok("messages/sessions-reply.json", "GET /api/v1/sessions (reply)", "Các hội nghị đối thoại và số kiến nghị của chúng.")
item = se["properties"]["items"]["items"]
schemas["StatusCounts"] = dict(item["properties"]["byStatus"], title="Petitions by status")
item["properties"]["byStatus"] = {"$ref": S + "StatusCounts"}
se["properties"]["totals"]["properties"]["byStatus"] = {"$ref": S + "StatusCounts"}
schemas["SessionStatistics"] = dict(item, title="Session statistics")
se["properties"]["items"]["items"] = {"$ref": S + "SessionStatistics"}
schemas["SessionTotals"] = dict(se["properties"]["totals"], title="Session totals")
se["properties"]["totals"] = {"$ref": S + "SessionTotals"}
schemas["SessionsReport"] = se

tr = load("messages/petition-track-reply.json")
tp = rewrite(tr["$defs"]["trackedPetition"], MSG_MAP)
tp["title"] = "GET /api/v1/track/{code} (reply)"
tp["description"] = ("Kiến nghị như cử tri thấy qua mã tra cứu trên phiếu nhận: trạng thái, ngày, câu trả lời hoặc kết quả, "
                     "cơ quan đang giữ, thời hạn; không bao giờ có tên cử tri, tên cán bộ hay nội dung kiến nghị. / "
                     "The member petition of the projector's petition.track reply (Schemas/messages/petition-track-reply.json). "
                     + tp["description"])
schemas["TrackedPetition"] = tp

role_list = {"type": "array", "items": {"$ref": S + "role"}, "description": "The roles the official holds, in order."}
schemas["CurrentOfficial"] = {
    "title": "GET /api/v1/me (reply)",
    "description": "Cán bộ đang đăng nhập. / The official the session stands for, as the registry holds them now.",
    "type": "object",
    "properties": {
        "officialId": {"type": "string", "description": "e.g. O000003.", "examples": ["O000003"]},
        "name": {"type": "string"},
        "roles": role_list,
        "unit": {"type": "string", "description": "The official's unit code; the empty string for the first administrator, who belongs to none."},
        "department": {"type": ["string", "null"], "description": "The department code of a department officer; null for everyone else."},
    },
    "required": ["officialId", "name", "roles", "unit", "department"],
    "additionalProperties": False,
}
login_reply = copy.deepcopy(schemas["CurrentOfficial"])
login_reply["title"] = "POST /api/v1/login (reply)"
login_reply["description"] = ("Phiên đăng nhập đã mở. / The session opened: the official, when it expires (8 hours), and, for a "
                              "bearer session, its token (a cookie session sets petition_session with Set-Cookie instead).")
login_reply["properties"]["expiresAt"] = {"$ref": S + "timestamp", "description": "When the session ends."}
login_reply["properties"]["token"] = {"type": "string", "minLength": 1,
                                      "description": "Bearer sessions only: send it as Authorization: Bearer <token>. Shown once."}
login_reply["required"].append("expiresAt")
schemas["LoginResult"] = login_reply

schemas["Unit"] = {
    "title": "Registered unit",
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"enum": ["province", "city", "commune", "ward", "special_zone", "district", "township", "hamlet"],
                 "description": "Sources/PetitionDomain/Registry.swift, UnitKind."},
        "parent": {"type": ["string", "null"], "description": "The code of the unit above; null for a top-level unit."},
        "retired": {"type": "boolean", "description": "Retired (no longer in use)."},
    },
    "required": ["code", "name", "kind", "parent", "retired"],
    "additionalProperties": False,
}
schemas["UnitList"] = {"title": "GET /api/v1/units (reply)", "description": "Các đơn vị hành chính đã đăng ký, theo mã. / The registered units, by code.",
                       "type": "object", "properties": {"units": {"type": "array", "items": {"$ref": S + "Unit"}}},
                       "required": ["units"], "additionalProperties": False}
schemas["Department"] = {
    "title": "Registered department",
    "type": "object",
    "properties": {"unit": {"type": "string", "description": "The unit's code."}, "code": {"type": "string"}, "name": {"type": "string"}},
    "required": ["unit", "code", "name"],
    "additionalProperties": False,
}
schemas["DepartmentList"] = {"title": "GET /api/v1/departments (reply)",
                             "description": "Các cơ quan chuyên môn đã đăng ký, theo đơn vị rồi theo mã. / The registered departments, by unit then code.",
                             "type": "object", "properties": {"departments": {"type": "array", "items": {"$ref": S + "Department"}}},
                             "required": ["departments"], "additionalProperties": False}
schemas["RegisteredOfficial"] = {
    "title": "Registered official",
    "type": "object",
    "properties": {
        "officialId": {"type": "string", "examples": ["O000003"]},
        "name": {"type": "string"},
        "unit": {"type": "string", "description": "The unit's code (empty for the first administrator)."},
        "department": {"type": ["string", "null"], "description": "The department code; null when the official belongs to none."},
        "roles": role_list,
        "active": {"type": "boolean", "description": "false once deactivated."},
    },
    "required": ["officialId", "name", "unit", "department", "roles", "active"],
    "additionalProperties": False,
}
schemas["OfficialList"] = {"title": "GET /api/v1/officials (reply)", "description": "Các cán bộ đã đăng ký, theo mã. / The registered officials, by id.",
                           "type": "object", "properties": {"officials": {"type": "array", "items": {"$ref": S + "RegisteredOfficial"}}},
                           "required": ["officials"], "additionalProperties": False}
schemas["HealthLive"] = {"title": "GET /health/live (reply)", "type": "object", "properties": {"status": {"const": "live"}},
                         "required": ["status"], "additionalProperties": False}
schemas["HealthReady"] = {
    "title": "GET /health/ready (reply)",
    "description": "Sẵn sàng khi cả gateway và projector đều trả lời. / Ready when the gateway and the projector both answer their status within a second.",
    "type": "object",
    "properties": {"status": {"enum": ["ready", "not ready"]}, "gateway": {"type": "boolean"}, "projector": {"type": "boolean"}},
    "required": ["status", "gateway", "projector"],
    "additionalProperties": False,
}
schemas["OpenAPIDocument"] = {"title": "This document", "type": "object", "properties": {"openapi": {"type": "string"}},
                              "required": ["openapi"]}

# --- Responses, headers, parameters -----------------------------------------------------------------------------------
PROBLEM = {"application/problem+json": {"schema": {"$ref": S + "Problem"}}}
headers = {
    "RetryAfter": {"description": "Seconds after which the same request may succeed.", "required": True,
                   "schema": {"type": "integer", "minimum": 1}},
    "WWWAuthenticate": {"description": "Bearer realm=\"petition-api\".", "required": True,
                        "schema": {"type": "string", "examples": ["Bearer realm=\"petition-api\""]}},
    "ETag": {"description": "The petition's (or session's) stream version, quoted: give it as If-Match to the next action.",
             "required": True, "schema": {"type": "string", "pattern": "^\"[0-9]+\"$", "examples": ["\"3\""]}},
    "Location": {"description": "Where the created resource is.", "required": True, "schema": {"type": "string", "format": "uri-reference"}},
    "CacheControlNoStore": {"description": "no-store.", "required": True, "schema": {"type": "string", "const": "no-store"}},
    "LinkNext": {"description": "Khi còn trang sau. / When more items follow: <the same read with cursor=next>; rel=\"next\" (RFC 8288).",
                 "required": False, "schema": {"type": "string", "examples": ["</api/v1/outstanding?limit=50&cursor=eyJr…>; rel=\"next\""]}},
}


def problem(description, extra_headers=None):
    r = {"description": description, "content": copy.deepcopy(PROBLEM)}
    if extra_headers:
        r["headers"] = {h: {"$ref": f"#/components/headers/{ref}"} for h, ref in extra_headers.items()}
    return r


responses = {
    "BadRequest": problem("400: yêu cầu không đọc được. / A body, header or query parameter that cannot be read: an empty or "
                          "non-JSON body, or one that is not a JSON object; an unknown query parameter; a malformed "
                          "Idempotency-Key, If-Match or Last-Event-ID; a tracking code that cannot be one."),
    "Unauthorized": problem("401 unauthenticated: chưa đăng nhập hoặc phiên đã hết hạn. / No session, or one that ended or "
                            "expired, or the official is no longer in office; for login, a wrong login or password.",
                            {"WWW-Authenticate": "WWWAuthenticate"}),
    "Forbidden": problem("403 not_permitted, not_holder, out_of_scope: vai trò hoặc phạm vi không cho phép. / The official's "
                         "role or scope does not allow it (the gateway decides exactly as for the official's own key)."),
    "NotFound": problem("404: không có. / No such petition or session (a petition outside the caller's units is not shown "
                        "either), action, route or tracking code."),
    "Conflict": problem("409: việc này không hợp lý ở trạng thái hiện tại. / A transition that makes no sense now "
                        "(invalid_transition, already_accepted, feedback_already_recorded, …)."),
    "PreconditionFailed": problem("412 version_mismatch: kiến nghị đã thay đổi kể từ phiên bản trong If-Match; không ghi gì. / "
                                  "The petition changed since the If-Match version; nothing was recorded."),
    "ContentTooLarge": problem("413 too_large: thân yêu cầu quá lớn. / The body is over 64 KiB, the most a gateway command "
                               "may carry (the gateway's own limit, refused here before it is sent)."),
    "UnsupportedMediaType": problem("415: thân yêu cầu không phải application/json. / A body whose Content-Type is not application/json."),
    "UnprocessableContent": problem("422: thiếu hoặc sai một trường. / A missing or invalid member or query parameter "
                                    "(missing_field, wrong_type, invalid_value, not_registered, command_id_conflict, "
                                    "deadline_before_referral, …); detail names it."),
    "TooManyRequests": problem("429: quá nhiều yêu cầu. / Too many requests: the gateway is overloaded (overloaded), too many "
                               "tracking lookups from the address, or a login locked after failed attempts (locked).",
                               {"Retry-After": "RetryAfter"}),
    "ServiceUnavailable": problem("503: gateway hoặc projector không trả lời kịp; gửi lại cùng yêu cầu với cùng Idempotency-Key. / "
                                  "The gateway or projector did not answer in time, or the read model has not yet applied the "
                                  "position asked for (not_applied): send the same request again (with the same Idempotency-Key).",
                                  {"Retry-After": "RetryAfter"}),
    "InternalServerError": problem("500 internal: lỗi ngoài dự kiến, đã được ghi nhật ký. / An unexpected failure, logged."),
}
STATUS_REF = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "409": "Conflict",
              "412": "PreconditionFailed", "413": "ContentTooLarge", "415": "UnsupportedMediaType",
              "422": "UnprocessableContent", "429": "TooManyRequests", "503": "ServiceUnavailable", "500": "InternalServerError"}


def errors(*codes):
    return {c: {"$ref": f"#/components/responses/{STATUS_REF[c]}"} for c in codes}


parameters = {
    "PetitionId": {"name": "id", "in": "path", "required": True,
                   "description": "Mã kiến nghị. / The petition's id as the gateway assigns it, e.g. P000001. Percent-encoding is decoded; any other text is 404 or 422.",
                   "schema": {"type": "string", "pattern": "^P[0-9]{6,}$", "maxLength": 64, "examples": ["P000001"]}},
    "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": False,
                       "description": "Khóa chống ghi trùng. / The command id, per official: the same key with the same body "
                                      "is recorded once and gets the first answer again; with another body, 422 "
                                      "command_id_conflict. 1 to 64 of A-Z a-z 0-9 . _ : - (else 400). Without one, each "
                                      "request is a new command.",
                       "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"}},
    "IfMatch": {"name": "If-Match", "in": "header", "required": False,
                "description": "Phiên bản kiến nghị đã thấy. / The ETag a response gave (\"<version>\"): when the petition has "
                               "changed since, 412 version_mismatch and nothing is recorded. * or absent: no check. Anything "
                               "else is 400.",
                "schema": {"type": "string", "pattern": "^\"[0-9]{1,18}\"$", "examples": ["\"3\""]}},
    "IfNoneMatch": {"name": "If-None-Match", "in": "header", "required": False,
                    "description": "ETags received (RFC 9110: a comma-separated list, W/ prefixes compared weakly, or *); when "
                                   "one is the petition's version, 304 without a body.",
                    "schema": {"type": "string", "examples": ["\"3\""]}},
    "LastEventID": {"name": "Last-Event-ID", "in": "header", "required": False,
                    "description": "The id (log position) of the last event received: the feed resumes after it (a browser's "
                                   "EventSource sends it by itself). Takes precedence over ?from. Not a position: 400.",
                    "schema": {"type": "string", "pattern": "^\\s*[0-9]{1,18}\\s*$"}},
}

QUERY_INSTANT = {"type": "string", "maxLength": 64,
                 "pattern": schemas["instantRules"]["pattern"].replace("[Tt ]", "[Tt]"),
                 "description": "RFC 3339 (see components/schemas/instantRules), with T between date and time: a space "
                                "would travel as + or %20, and the server reads + in a query as itself.",
                 "examples": ["2026-03-19T08:00:00+07:00"]}
KIND_SCHEMA = {
    "unit": {"type": "string", "maxLength": 200, "$ref": S + "textRules"},
    "department": {"type": "string", "maxLength": 200, "$ref": S + "textRules"},
    "assignee": {"type": "string", "maxLength": 200, "$ref": S + "textRules"},
    "text": {"type": "string", "maxLength": 500, "$ref": S + "textRules"},
    "petitionId": {"type": "string", "maxLength": 64, "$ref": S + "textRules"},
    "sessionId": {"type": "string", "maxLength": 64, "$ref": S + "textRules"},
    "now": QUERY_INSTANT,
    "from": QUERY_INSTANT,
    "to": QUERY_INSTANT,
    "state": {"type": "string", "enum": ["pending", "delivered", "failed"]},
    "level": {"type": "string", "$ref": S + "escalationLevel"},
    "category": {"type": "string", "$ref": S + "category"},
    "overdue": {"type": "boolean"},
    "limit": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 10000},
    "cursor": {"type": "string", "minLength": 1, "maxLength": 1024},
    "minPosition": {"type": "integer", "format": "int64"},
}
PARAM_DOC = {
    "unit": "Đơn vị. / A unit (its code or registered name); only petitions of that unit and the units below it, within the caller's units.",
    "department": "Cơ quan chuyên môn. / A department (code or registered name).",
    "assignee": "Cán bộ được giao. / The official in charge.",
    "overdue": "Chỉ những kiến nghị quá hạn. / Only overdue petitions (true/false; 1/0 also accepted).",
    "limit": "Số mục tối đa. / The most items returned, 1 to 10000.",
    "cursor": ("Trang tiếp theo. / The next page: the `next` of the page before (also in its Link header, rel=\"next\"), with "
               "the same other parameters. Keyset pagination: items added or gone in between neither shift nor repeat the "
               "others. Not a cursor of this read: 422 invalid_value."),
    "now": "Thời điểm tính quá hạn. / The instant overdue is judged at (RFC 3339); default now.",
    "minPosition": "Vị trí nhật ký tối thiểu. / Answer only once the read model has applied this log position (default: the "
                   "last command sent through this API); beyond the log's head: 422, not reached within 5 s: 503.",
    "petitionId": "Mã kiến nghị. / Only this petition's alerts.",
    "state": "Trạng thái gửi. / The alert's delivery state.",
    "level": "Mức cảnh báo. / The escalation level.",
    "from": "Từ thời điểm. / Sessions held at or after this instant (RFC 3339).",
    "to": "Đến thời điểm. / Sessions held before this instant (RFC 3339).",
    "text": "Từ khóa. / Words to find in the petitions' text (at least one of text, category, unit, department, sessionId is needed, else 422).",
    "sessionId": "Hội nghị. / Only the petitions raised at this session (conference), e.g. S000001.",
    "category": "Lĩnh vực. / The field (lĩnh vực).",
}
QUERY = {  # exactly APIRoutes.queryParameters
    "outstanding": ["unit", "department", "assignee", "overdue", "limit", "cursor", "now", "minPosition"],
    "responsibility": ["unit", "department", "now", "minPosition"],
    "alerts": ["unit", "petitionId", "state", "level", "limit", "cursor", "minPosition"],
    "sessions": ["unit", "from", "to", "limit", "cursor", "minPosition"],
    "search": ["text", "category", "unit", "department", "sessionId", "limit", "cursor", "now", "minPosition"],
}


def query_params(read):
    return [{"name": n, "in": "query", "required": False, "description": PARAM_DOC[n], "schema": KIND_SCHEMA[n]} for n in QUERY[read]]


def json_response(description, schema, headers_=None):
    r = {"description": description, "content": {"application/json": {"schema": {"$ref": S + schema}}}}
    if headers_:
        r["headers"] = headers_
    return r


def hdr(name):
    return {"$ref": f"#/components/headers/{name}"}


NO_AUTH = []
paths = {}

# Health and metrics
paths["/health/live"] = {"get": {
    "operationId": "healthLive", "tags": ["health"], "security": NO_AUTH,
    "summary": "Kiểm tra tiến trình còn sống",
    "description": "Không cần đăng nhập. / No login: 200 as long as the process answers.",
    "responses": {"200": json_response("Còn sống. / Alive.", "HealthLive"), **errors("500")}}}
paths["/health/ready"] = {"get": {
    "operationId": "healthReady", "tags": ["health"], "security": NO_AUTH,
    "summary": "Kiểm tra sẵn sàng phục vụ",
    "description": "Không cần đăng nhập. / No login: 200 when the gateway and the projector both answer their status within a "
                   "second, else 503 with the same JSON body (not a problem document).",
    "responses": {"200": json_response("Sẵn sàng. / Ready.", "HealthReady"),
                  "503": json_response("Chưa sẵn sàng. / Not ready: the gateway or the projector did not answer.", "HealthReady"),
                  **errors("500")}}}
paths["/metrics"] = {"get": {
    "operationId": "metrics", "tags": ["health"], "security": NO_AUTH,
    "summary": "Số liệu vận hành (Prometheus)",
    "description": "Không cần đăng nhập (the API binds loopback). / Prometheus text format 0.0.4: hb_requests and "
                   "http_server_request_duration by route, method and status, petition_gateway_command_duration by command "
                   "and outcome (the commands the API sent), and the gateway's own tally from its status: "
                   "petition_gateway_commands_total by command and outcome, petition_gateway_commits_total, "
                   "petition_gateway_commit_seconds_total.",
    "responses": {"200": {"description": "Prometheus text.",
                          "content": {"text/plain": {"schema": {"type": "string"}}}}, **errors("500")}}}

# Logins
paths["/api/v1/login"] = {"post": {
    "operationId": "login", "tags": ["sessions"], "security": NO_AUTH,
    "summary": "Đăng nhập",
    "description": "Mở một phiên cho cán bộ. / Opens a session (8 hours). After a wrong password the answer waits 0.5 s, 1 s, "
                   "2 s, 4 s; the fifth failure within 15 minutes locks the login for 15 minutes (429 locked with "
                   "Retry-After, even for the right password). 403 when the official is no longer in office.",
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": S + "LoginRequest"}}}},
    "responses": {
        "200": json_response("Đã đăng nhập. / Logged in.", "LoginResult", {
            "Set-Cookie": {"description": "Cookie sessions only: petition_session=<token>; Path=/; Max-Age=28800; HttpOnly; "
                                          "SameSite=Strict (and Secure under --secure-cookies).",
                           "required": False, "schema": {"type": "string"}}}),
        **errors("400", "401", "403", "413", "415", "422", "429", "503", "500")}}}
paths["/api/v1/logout"] = {"post": {
    "operationId": "logout", "tags": ["sessions"],
    "summary": "Đăng xuất",
    "description": "Kết thúc phiên (token hoặc cookie). / Ends the session the request authenticated with (no body is read) "
                   "and clears the cookie.",
    "responses": {
        "204": {"description": "Đã đăng xuất. / Logged out.",
                "headers": {"Set-Cookie": {"description": "petition_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict.",
                                           "required": True, "schema": {"type": "string"}}}},
        **errors("401", "503", "500")}}}
paths["/api/v1/me"] = {"get": {
    "operationId": "getMe", "tags": ["sessions"],
    "summary": "Cán bộ đang đăng nhập",
    "description": "Who the session stands for, as the registry holds them now.",
    "responses": {"200": json_response("Cán bộ. / The official.", "CurrentOfficial"), **errors("401", "503", "500")}}}

COMMAND_ERRORS = ("400", "401", "403", "409", "413", "415", "422", "429", "503", "500")
paths["/api/v1/sessions"] = {
    "post": {
        "operationId": "openSession", "tags": ["commands"],
        "summary": "Mở biên bản một hội nghị đối thoại",
        "description": f"Lệnh session.open (vai trò: {WHO['session.open']}). / Opens a dialogue conference's minutes; the gateway "
                       "assigns the id. The Location names /api/v1/sessions/<id>.",
        "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": S + "SessionOpenRequest"}}}},
        "responses": {"201": json_response("Đã ghi. / Recorded.", "CommandResult", {"Location": hdr("Location"), "ETag": hdr("ETag")}),
                      **errors(*COMMAND_ERRORS)}},
    "get": {
        "operationId": "listSessions", "tags": ["reads"],
        "summary": "Danh sách hội nghị đối thoại và thống kê",
        "description": "Projector query sessions; its members as query parameters. An unknown query parameter is refused "
                       "with 400, naming those this read takes.",
        "parameters": query_params("sessions"),
        "responses": {"200": json_response("Các hội nghị. / The sessions.", "SessionsReport", {"Link": hdr("LinkNext")}),
                      **errors("400", "401", "422", "503", "500")}},
}
paths["/api/v1/sessions/{id}"] = {"get": {
    "operationId": "getSession", "tags": ["reads"],
    "summary": "Xem một hội nghị đối thoại và số kiến nghị",
    "description": "The session the Location of POST /api/v1/sessions names, with its petitions' counts (projector query sessions "
                   "with sessionId); 404 session_not_found when it does not exist or is outside the caller's units. It takes no "
                   "query parameter (400).",
    "parameters": [{"name": "id", "in": "path", "required": True, "description": "Mã hội nghị. / The session's id, e.g. S000001.",
                    "schema": {"type": "string", "maxLength": 64, "examples": ["S000001"]}}],
    "responses": {"200": json_response("Hội nghị. / The session.", "SessionStatistics"), **errors("400", "401", "404", "422", "503", "500")}}}
paths["/api/v1/petitions"] = {"post": {
    "operationId": "submitPetition", "tags": ["commands"],
    "summary": "Ghi nhận kiến nghị của cử tri",
    "description": f"Lệnh petition.submit (vai trò: {WHO['petition.submit']}). / Records a citizen's petition raised at an open "
                   "session (404 session_not_found otherwise); the reply carries the tracking code for the citizen's receipt.",
    "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": S + "PetitionSubmitRequest"}}}},
    "responses": {"201": json_response("Đã ghi. / Recorded.", "CommandResult", {"Location": hdr("Location"), "ETag": hdr("ETag")}),
                  **errors("400", "401", "403", "404", "409", "413", "415", "422", "429", "503", "500")}}}

ACTION_DOC = {
    "answer": ("answerPetition", "Ghi nhận câu trả lời trực tiếp tại hội nghị"),
    "refer": ("referPetition", "Chuyển kiến nghị cho cơ quan chuyên môn giải quyết"),
    "accept": ("acceptPetition", "Cơ quan chuyên môn tiếp nhận kiến nghị"),
    "extend": ("extendPetition", "Gia hạn thời hạn giải quyết"),
    "reassign": ("reassignPetition", "Giao lại cho cơ quan hoặc cán bộ khác"),
    "resolve": ("resolvePetition", "Ghi nhận kết quả giải quyết"),
    "feedback": ("recordPetitionFeedback", "Ghi nhận ý kiến của cử tri về kết quả"),
    "reopen": ("reopenPetition", "Mở lại kiến nghị đã đóng"),
    "withdraw": ("withdrawPetition", "Ghi nhận cử tri rút kiến nghị"),
    "merge": ("mergePetition", "Gộp kiến nghị trùng vào kiến nghị khác"),
    "notes": ("addPetitionNote", "Ghi chú vào kiến nghị"),
}
for command, name, action in COMMANDS:
    if action is None:
        continue
    op_id, summary = ACTION_DOC[action]
    paths[f"/api/v1/petitions/{{id}}/{action}"] = {"post": {
        "operationId": op_id, "tags": ["commands"],
        "summary": summary,
        "description": f"Lệnh {command} (vai trò: {WHO[command]}). / Sends {command} for the petition in the URL, on behalf of "
                       "the official logged in. If-Match makes it conditional on the petition's version (412 when it "
                       "changed); the ETag of the reply is the new version. The body must be a JSON object (at least {}).",
        "parameters": [{"$ref": "#/components/parameters/PetitionId"}, {"$ref": "#/components/parameters/IdempotencyKey"},
                       {"$ref": "#/components/parameters/IfMatch"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": S + name}}}},
        "responses": {"200": json_response("Đã ghi. / Recorded.", "CommandResult", {"ETag": hdr("ETag")}),
                      **errors("400", "401", "403", "404", "409", "412", "413", "415", "422", "429", "503", "500")}}}

paths["/api/v1/petitions/{id}"] = {"get": {
    "operationId": "getPetition", "tags": ["reads"],
    "summary": "Xem một kiến nghị và chuỗi người giữ",
    "description": "The petition as the projector shows it to the caller (404 outside their units), its chain of hands and "
                   "its version; ETag \"<version>\", If-None-Match → 304.",
    "parameters": [{"$ref": "#/components/parameters/PetitionId"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
    "responses": {"200": json_response("Kiến nghị. / The petition.", "PetitionDetail", {"ETag": hdr("ETag")}),
                  "304": {"description": "Không đổi. / Unchanged since the If-None-Match version.", "headers": {"ETag": hdr("ETag")}},
                  **errors("401", "404", "422", "503", "500")}}}
paths["/api/v1/petitions/{id}/history"] = {"get": {
    "operationId": "getPetitionHistory", "tags": ["reads"],
    "summary": "Lịch sử sự kiện của một kiến nghị",
    "description": "The petition's events from the gateway's log (personal data sealed), scoped like the petition itself.",
    "parameters": [{"$ref": "#/components/parameters/PetitionId"}],
    "responses": {"200": json_response("Các sự kiện. / The events.", "PetitionHistory", {"ETag": hdr("ETag")}),
                  **errors("401", "404", "422", "503", "500")}}}

READS = [
    ("outstanding", "listOutstanding", "Các kiến nghị còn phải xử lý", "OutstandingList"),
    ("responsibility", "getResponsibility", "Trách nhiệm giải quyết theo cơ quan và cán bộ", "ResponsibilityReport"),
    ("alerts", "listAlerts", "Các cảnh báo quá hạn", "AlertList"),
    ("search", "searchPetitions", "Tìm kiếm kiến nghị", "SearchResults"),
]
for read, op_id, summary, schema in READS:
    paths[f"/api/v1/{read}"] = {"get": {
        "operationId": op_id, "tags": ["reads"], "summary": summary,
        "description": f"Projector query {read}, within the caller's units; its members as query parameters. An unknown query "
                       "parameter is refused with 400, naming those this read takes.",
        "parameters": query_params(read),
        "responses": {"200": json_response("Kết quả. / The answer.", schema, {"Link": hdr("LinkNext")} if read != "responsibility" else None),
                      **errors("400", "401", "422", "503", "500")}}}

paths["/api/v1/units"] = {"get": {
    "operationId": "listUnits", "tags": ["registry"], "summary": "Danh mục đơn vị hành chính",
    "description": "The registry's units (read from the log, at most a second old). It takes no query parameter (400).",
    "responses": {"200": json_response("Các đơn vị. / The units.", "UnitList"), **errors("400", "401", "503", "500")}}}
paths["/api/v1/departments"] = {"get": {
    "operationId": "listDepartments", "tags": ["registry"], "summary": "Danh mục cơ quan chuyên môn",
    "description": "The registry's departments; ?unit=<code> for one unit's (any other query parameter is 400).",
    "parameters": [{"name": "unit", "in": "query", "required": False, "description": "Mã đơn vị. / Only this unit's departments (its code, exactly).",
                    "schema": {"type": "string"}}],
    "responses": {"200": json_response("Các cơ quan. / The departments.", "DepartmentList"), **errors("400", "401", "503", "500")}}}
paths["/api/v1/officials"] = {"get": {
    "operationId": "listOfficials", "tags": ["registry"], "summary": "Danh mục cán bộ",
    "description": "The registry's officials, active or not. It takes no query parameter (400).",
    "responses": {"200": json_response("Các cán bộ. / The officials.", "OfficialList"), **errors("400", "401", "503", "500")}}}

# Registry writes and erasing a citizen (Sources/HTTPAPI/RegistryRoutes.swift): the gateway's commands without what the URL says.
REGISTRY = [
    # (command, schema name, method path, URL member, operationId, summary, status)
    ("unit.register", "UnitRegisterRequest", "/api/v1/units", None, "registerUnit", "Đăng ký một đơn vị hành chính", "201"),
    ("unit.merge", "UnitMergeRequest", "/api/v1/units/merge", None, "mergeUnits", "Sáp nhập các đơn vị", "200"),
    ("unit.rename", "UnitRenameRequest", "/api/v1/units/{code}/rename", "code", "renameUnit", "Đổi tên một đơn vị", "200"),
    ("unit.retire", "UnitRetireRequest", "/api/v1/units/{code}/retire", "code", "retireUnit", "Giải thể một đơn vị", "200"),
    ("department.register", "DepartmentRegisterRequest", "/api/v1/departments", None, "registerDepartment", "Đăng ký một cơ quan chuyên môn", "201"),
    ("department.rename", "DepartmentRenameRequest", "/api/v1/departments/{unit}/{code}/rename", "unit+code", "renameDepartment", "Đổi tên một cơ quan chuyên môn", "200"),
    ("official.appoint", "OfficialAppointRequest", "/api/v1/officials", None, "appointOfficial", "Đăng ký một cán bộ", "201"),
    ("official.grant", "OfficialGrantRequest", "/api/v1/officials/{id}/grant", "officialId", "grantRole", "Giao thêm một vai trò", "200"),
    ("official.revoke", "OfficialRevokeRequest", "/api/v1/officials/{id}/revoke", "officialId", "revokeRole", "Thu hồi một vai trò", "200"),
    ("official.deactivate", "OfficialDeactivateRequest", "/api/v1/officials/{id}/deactivate", "officialId", "deactivateOfficial", "Cho cán bộ thôi nhiệm vụ", "200"),
    ("official.transfer", "OfficialTransferRequest", "/api/v1/officials/{id}/transfer", "officialId", "transferOfficial", "Điều chuyển cán bộ", "200"),
    ("person.forget", "PersonForgetRequest", "/api/v1/petitions/{id}/forget-citizen", "personId", "forgetCitizen", "Xóa vĩnh viễn dữ liệu cá nhân của cử tri", "200"),
]
for command, name, route, url_member, op_id, summary, status in REGISTRY:
    src = load(f"messages/{command}.json")
    m = re.search(r"\(([a-z_ ]+?) only\)", src["description"]) or re.search(r"Who may send it: an official holding the role ([a-z_ ]+?) \(", src["description"])
    who = m.group(1) if m else "administrator"
    own = {"role"} if command in ("official.grant", "official.revoke") else set()
    drop = (RESERVED - own) | (set(url_member.split("+")) if url_member else set())
    body = {
        "title": f"POST {route} (body)",
        "description": (f"Thân yêu cầu: các thành phần của lệnh {command} (Schemas/messages/{command}.json), trừ những gì URL và phiên "
                        f"đăng nhập đã nói. / The members of the gateway command {command}"
                        + (f" without {url_member.replace('+', ' and ')} (the URL names {'them' if '+' in url_member else 'it'})" if url_member and url_member != "personId" else "")
                        + (" without personId (the petition's citizen, found from the URL)" if url_member == "personId" else "")
                        + ", type, commandId and who acts. The command: " + src["description"]),
        "type": "object",
        "properties": {k: rewrite(v, MSG_MAP) for k, v in src["properties"].items() if k not in drop},
        "required": [k for k in src["required"] if k not in drop],
        "additionalProperties": False,
    }
    if not body["required"]:
        del body["required"]
    schemas[name] = body
    params = [{"$ref": "#/components/parameters/IdempotencyKey"}]
    if url_member == "code":
        params.insert(0, {"name": "code", "in": "path", "required": True, "description": "Mã đơn vị. / The unit's code.", "schema": {"type": "string", "maxLength": 64}})
    elif url_member == "unit+code":
        params[:0] = [{"name": "unit", "in": "path", "required": True, "description": "Mã đơn vị của cơ quan. / The code of the department's unit.", "schema": {"type": "string", "maxLength": 64}},
                      {"name": "code", "in": "path", "required": True, "description": "Mã cơ quan trong đơn vị. / The department's code within the unit, e.g. TNMT.",
                       "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,32}$"}}]
    elif url_member == "officialId":
        params.insert(0, {"name": "id", "in": "path", "required": True, "description": "Mã cán bộ. / The official's id, e.g. O000003.",
                          "schema": {"type": "string", "maxLength": 64, "examples": ["O000003"]}})
    elif url_member == "personId":
        params.insert(0, {"$ref": "#/components/parameters/PetitionId"})
    op = {
        "operationId": op_id, "tags": ["registry" if command != "person.forget" else "commands"], "summary": summary,
        "description": (f"Lệnh {command}. / Sends {command} on behalf of the official logged in; the gateway refuses anyone "
                        "without the role it asks for (403 not_permitted)."
                        + (" The citizen is the petition's own: the API finds the personId from the petition (within the "
                           "caller's units), then the gateway destroys the key of their name, address and phone for good." if command == "person.forget" else "")),
        "parameters": params,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": S + name}}}},
        "responses": {status: json_response("Đã ghi. / Recorded.", "CommandResult"),
                      **errors("400", "401", "403", "404", "409", "413", "415", "422", "429", "503", "500")},
    }
    paths.setdefault(route, {})["post"] = op

schemas["LoginGrant"] = {
    "title": "POST /api/v1/officials/{id}/password (reply)",
    "description": "Tên đăng nhập và mật khẩu vừa cấp, chỉ hiện một lần. / The login set and the password drawn (14 letters and digits), shown once: give it to the official. Their earlier sessions end.",
    "type": "object",
    "properties": {"officialId": {"type": "string"}, "name": {"type": "string"}, "login": {"type": "string"},
                   "password": {"type": "string", "minLength": 14}},
    "required": ["officialId", "name", "login", "password"], "additionalProperties": False,
}
paths["/api/v1/officials/{id}/password"] = {"post": {
    "operationId": "setOfficialPassword", "tags": ["registry"], "summary": "Cấp tên đăng nhập và mật khẩu cho cán bộ",
    "description": ("Administrators only (403 otherwise): the API's own credentials (as `petitionctl official password`), not a "
                    "gateway command. The official must be registered and in office (404). The reply has Cache-Control: no-store."),
    "parameters": [{"name": "id", "in": "path", "required": True, "description": "Mã cán bộ. / The official's id.",
                    "schema": {"type": "string", "maxLength": 64, "examples": ["O000003"]}}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": {"login": {"type": "string", "pattern": "^[a-z0-9._-]{3,64}$", "description": "3 to 64 of a-z 0-9 . _ - (else 422)."}},
        "required": ["login"], "additionalProperties": False}}}},
    "responses": {"200": json_response("Đã cấp. / Set.", "LoginGrant", {"Cache-Control": hdr("CacheControlNoStore")}),
                  **errors("400", "401", "403", "404", "413", "415", "422", "503", "500")}}}

# A citizen's personal data (Sources/HTTPAPI/CitizenRoutes.swift): POST only, so a name never travels in a URL.
schemas["CitizenSearchRequest"] = {
    "title": "POST /api/v1/search/citizens (body)",
    "description": ("Tìm kiến nghị theo tên cử tri. / Petitions by their citizen's name: the gateway's people.find (PROTOCOL.md "
                    "section 7.3: a clerk or chair only, three letters and a word of two, 20 searches a minute, the search "
                    "recorded with its purpose), then the projector's search with those people and the other filters."),
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200, "description": "The citizen's name or part of it (diacritics and case ignored)."},
        "purpose": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Why, recorded with the search (access.recorded.v1)."},
        "text": {"type": "string", "maxLength": 500, "description": "Words that must also appear (as GET search)."},
        "category": {"$ref": S + "category"},
        "unit": {"type": "string", "maxLength": 200},
        "department": {"type": "string", "maxLength": 200},
        "limit": {"type": "integer", "minimum": 1, "maximum": 10000},
    },
    "required": ["name", "purpose"],
    "additionalProperties": False,
}
paths["/api/v1/search/citizens"] = {"post": {
    "operationId": "searchByCitizen", "tags": ["reads"], "summary": "Tìm kiến nghị theo tên cử tri",
    "description": "A search by citizen's name, by POST so the name is never in a URL or an access log. Reply as GET search, with Cache-Control: no-store.",
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": S + "CitizenSearchRequest"}}}},
    "responses": {"200": json_response("Kết quả. / The petitions.", "SearchResults", {"Cache-Control": hdr("CacheControlNoStore")}),
                  **errors("400", "401", "403", "413", "415", "422", "429", "503", "500")}}}
schemas["CitizenData"] = {
    "title": "POST /api/v1/petitions/{id}/citizen (reply)",
    "description": "Dữ liệu cá nhân của cử tri. / The petition's citizen, opened by the gateway after it recorded the look (who, which petition, why).",
    "type": "object",
    "properties": {"petitionId": {"type": "string"}, "personId": {"$ref": S + "personId"}, "citizen": {"$ref": S + "personalData"}},
    "required": ["petitionId", "personId", "citizen"], "additionalProperties": False,
}
paths["/api/v1/petitions/{id}/citizen"] = {"post": {
    "operationId": "openCitizen", "tags": ["reads"], "summary": "Xem họ tên, địa chỉ, điện thoại của cử tri",
    "description": ("A clerk or chair only (403 not_permitted for anyone else): the gateway records the look "
                    "(access.recorded.v1) before it opens the citizen's name, address and phone. 410 erased when the citizen "
                    "was forgotten. Cache-Control: no-store."),
    "parameters": [{"$ref": "#/components/parameters/PetitionId"}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": {"purpose": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Why (recorded)."}},
        "required": ["purpose"], "additionalProperties": False}}}},
    "responses": {"200": json_response("Cử tri. / The citizen.", "CitizenData", {"Cache-Control": hdr("CacheControlNoStore")}),
                  "410": problem("410 erased: dữ liệu cá nhân đã bị xóa vĩnh viễn. / The citizen was forgotten."),
                  **errors("400", "401", "403", "404", "413", "415", "422", "429", "503", "500")}}}

paths["/api/v1/track/{code}"] = {"get": {
    "operationId": "trackPetition", "tags": ["citizens"], "security": NO_AUTH,
    "summary": "Cử tri tra cứu kiến nghị bằng mã trên phiếu nhận",
    "description": "Không cần đăng nhập. / No login: the citizen's view by the tracking code on their receipt. Case, spaces "
                   "and hyphens are ignored, O is read as 0, I and L as 1; not 12 such symbols: 400. Rate-limited per client "
                   "address: 20 lookups at once, then 30 a minute (429 with Retry-After).",
    "parameters": [{"name": "code", "in": "path", "required": True, "description": "Mã tra cứu. / The tracking code, e.g. 7KQ2-M9XD-4FTR.",
                    "schema": {"type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$",
                               "examples": ["7KQ2-M9XD-4FTR"]}}],
    "responses": {"200": json_response("Kiến nghị. / The petition as its citizen sees it.", "TrackedPetition",
                                       {"Cache-Control": hdr("CacheControlNoStore")}),
                  **errors("400", "404", "429", "503", "500")}}}

paths["/api/v1/events"] = {"get": {
    "operationId": "streamEvents", "tags": ["events"],
    "summary": "Luồng sự kiện trực tiếp (Server-Sent Events)",
    "description": "The log live as Server-Sent Events: from Last-Event-ID, else ?from=N (after position N; 0 for "
                   "everything), else from now. Only what the caller may see: a petition's events and its alerts' when the "
                   "caller sees the petition, a session's within the caller's units, the registry's to every official. The "
                   "response does not end: it first sends `retry: 2000`, then each event as `id: <position>`, `event: <type>`, "
                   "`data: <the CloudEvent, personal data sealed>`, and a comment line `: keep-alive` after 15 s of quiet. "
                   "Any query parameter other than from is 400.",
    "parameters": [{"$ref": "#/components/parameters/LastEventID"},
                   {"name": "from", "in": "query", "required": False,
                    "description": "Vị trí bắt đầu. / The log position after which to start (0: the beginning); ignored when Last-Event-ID is given.",
                    "schema": {"type": "integer", "format": "int64", "minimum": 0}}],
    "responses": {"200": {"description": "Luồng sự kiện. / The event stream (text/event-stream; charset=utf-8).",
                          "headers": {"Cache-Control": hdr("CacheControlNoStore")},
                          "content": {"text/event-stream": {"schema": {"type": "string"},
                                                            "example": "retry: 2000\n\nid: 42\nevent: petition.referred.v2\ndata: {\"actor\":\"chair/Trần Thị Bình\",…}\n\n"}}},
                  **errors("400", "401", "422", "503", "500")}}}

paths["/api/v1/openapi.json"] = {"get": {
    "operationId": "getOpenAPIDocument", "tags": ["meta"], "security": NO_AUTH,
    "summary": "Tài liệu OpenAPI này",
    "description": "Không cần đăng nhập. / No login: this document (Schemas/openapi.json).",
    "responses": {"200": json_response("Tài liệu OpenAPI. / This OpenAPI 3.1 document.", "OpenAPIDocument"), **errors("500")}}}

# --- The periodic report (Schemas/messages/period-report.json) -------------------------------------------------------
rp = load("messages/period-report.json")
REPORT_MAP = [("../common.json#/$defs/", S), ("#/$defs/count", S + "ReportCount"), ("#/$defs/rate", S + "ReportRate"),
              ("#/$defs/figures", S + "ReportFigures"), ("#/$defs/holder", S + "ReportHolder")]
for name, title in [("count", "ReportCount"), ("rate", "ReportRate"), ("figures", "ReportFigures"), ("holder", "ReportHolder")]:
    schemas[title] = rewrite(rp["$defs"][name], REPORT_MAP)
schemas["PeriodReport"] = rewrite({k: v for k, v in rp.items() if k != "$defs"}, REPORT_MAP)
paths["/api/v1/reports"] = {"get": {
    "operationId": "getPeriodReport", "tags": ["reads"],
    "summary": "Báo cáo định kỳ kết quả đối thoại (JSON, CSV, Excel)",
    "description": ("Báo cáo định kỳ của một đơn vị và các đơn vị trực thuộc, tính từ nhật ký sự kiện, như `petitionctl report`. / "
                    "The periodic report of a unit and the units below it, computed from the log as `petitionctl report` does: "
                    "?format=json (default, components/schemas/PeriodReport), csv (for Excel: UTF-8 with BOM, CRLF), xlsx (an "
                    "Excel workbook in Vietnamese: one sheet per table, rates as percentages, dates dd/mm/yyyy) or md. Only "
                    "for a unit within the caller's units (403 out_of_scope otherwise). CSV, xlsx and md come with "
                    "Content-Disposition: attachment; filename=\"bao-cao-<code>-<period>.<format>\". Any other query parameter is 400."),
    "parameters": [
        {"name": "unit", "in": "query", "required": True,
         "description": "Đơn vị. / The unit reported on: a registered unit's code or name (diacritics and case ignored); unknown: 422 not_registered with the closest.",
         "schema": {"type": "string", "minLength": 1}},
        {"name": "period", "in": "query", "required": True,
         "description": "Kỳ báo cáo. / 2026-06 (a month), 2026-Q1 (a quarter), 2026-H1 (six months), 2026-9M (nine months) or 2026 (a year); else 422.",
         "schema": {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]|9M))?$", "examples": ["2026-Q1"]}},
        {"name": "format", "in": "query", "required": False, "description": "Định dạng. / json (default), csv (for Excel under any regional settings: UTF-16LE with a byte order mark, tab-separated, CRLF, whole numbers), xlsx or md.",
         "schema": {"enum": ["json", "csv", "xlsx", "md"]}}],
    "responses": {"200": {"description": "Báo cáo. / The report.",
                          "headers": {"Cache-Control": {"description": "private, no-store.", "required": True, "schema": {"type": "string"}}},
                          "content": {"application/json": {"schema": {"$ref": S + "PeriodReport"}},
                                      "text/csv": {"schema": {"type": "string"}},
                                      "text/markdown": {"schema": {"type": "string"}},
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "contentMediaType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}}},
                  **errors("400", "401", "403", "422", "503", "500")}}}

# --- Open311 GeoReport v2 (Sources/HTTPAPI/Open311.swift) ---------------------------------------------------------
O311_TEXT = {"type": "string"}
schemas["Open311Service"] = {
    "title": "Open311 service",
    "description": "Một lĩnh vực như một dịch vụ Open311. / A field (lĩnh vực) as an Open311 service.",
    "type": "object",
    "properties": {"service_code": {"$ref": S + "category"}, "service_name": O311_TEXT, "description": O311_TEXT,
                   "metadata": {"const": False, "description": "No service takes extra attributes (see service_definition)."},
                   "type": {"const": "realtime"}, "keywords": O311_TEXT,
                   "group": {"type": "string", "description": "The jurisdiction's name when jurisdiction_id was given, else empty."}},
    "required": ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
    "additionalProperties": False,
}
schemas["Open311ServiceDefinition"] = {
    "title": "Open311 service definition", "type": "object",
    "properties": {"service_code": {"$ref": S + "category"}, "attributes": {"type": "array", "maxItems": 0}},
    "required": ["service_code", "attributes"], "additionalProperties": False,
}
O311_REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                       "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
                       "address", "address_id", "zipcode", "lat", "long", "media_url"]
schemas["Open311Request"] = {
    "title": "Open311 service request",
    "description": ("Một kiến nghị như một yêu cầu dịch vụ Open311, không có dữ liệu cá nhân. / A petition as an Open311 service "
                    "request: status open (someone still has to act) or closed; status_notes the status in Vietnamese with the "
                    "answer or resolution; agency_responsible the holding department; expected_datetime the deadline's end "
                    "(+07:00); address, lat, long and media_url always empty: no citizen's name, address or phone is ever here."),
    "type": "object",
    "properties": {**{f: O311_TEXT for f in O311_REQUEST_FIELDS}, "status": {"enum": ["open", "closed"]}},
    "required": O311_REQUEST_FIELDS,
    "additionalProperties": False,
}
schemas["Open311Token"] = {
    "title": "Open311 token", "type": "object",
    "properties": {"service_request_id": O311_TEXT, "token": O311_TEXT},
    "required": ["service_request_id", "token"], "additionalProperties": False,
}
schemas["Open311Created"] = {
    "title": "Open311 request created",
    "description": "token is the citizen's tracking code (GET /api/v1/track/{code}); service_notice says so in Vietnamese.",
    "type": "object",
    "properties": {"service_request_id": O311_TEXT, "token": O311_TEXT, "service_notice": O311_TEXT, "account_id": O311_TEXT},
    "required": ["service_request_id", "token", "service_notice", "account_id"], "additionalProperties": False,
}
schemas["Open311Discovery"] = {
    "title": "Open311 discovery", "type": "object",
    "properties": {"changeset": O311_TEXT, "contact": O311_TEXT, "key_service": O311_TEXT},
    "required": ["changeset", "contact", "key_service"], "additionalProperties": False,
}
schemas["Open311Errors"] = {
    "title": "Open311 errors",
    "description": "Lời từ chối theo Open311. / The spec's list of errors: one {code (the HTTP status), description}.",
    "type": "array", "minItems": 1,
    "items": {"type": "object", "properties": {"code": {"type": "integer"}, "description": O311_TEXT},
              "required": ["code", "description"], "additionalProperties": False},
}
O311_XML = {"text/xml": {"schema": {"type": "string", "description": "The same fields as XML elements (GeoReport v2)."}}}


def o311_response(description, schema, fmt):
    if fmt == "xml":
        return {"description": description, "content": copy.deepcopy(O311_XML)}
    return json_response(description, schema)


def o311_errors(fmt, *codes):
    out = {}
    for c in codes:
        d = {"400": "Tham số sai. / A parameter that is missing or wrong.",
             "403": "Thiếu hoặc sai api_key, hoặc vai trò/phạm vi không cho phép. / No valid api_key, or its role or scope does not allow it.",
             "404": "Không có. / No such resource, service, jurisdiction, request or token.",
             "409": "Không hợp lý ở trạng thái hiện tại. / The gateway refused it as a conflict.",
             "413": "Thân quá lớn. / The body is too large.", "415": "Không phải form hay JSON. / Neither form-urlencoded nor JSON.",
             "422": "Một trường sai. / The gateway refused a field.", "429": "Quá tải. / Overloaded.",
             "503": "Gateway hoặc projector không trả lời kịp. / The gateway or projector did not answer in time.",
             "500": "Lỗi ngoài dự kiến. / An unexpected failure."}[c]
        out[c] = o311_response(d, "Open311Errors", fmt)
    return out


O311_KEY = {"name": "api_key", "in": "query", "required": True,
            "description": "Khóa API của cơ quan. / The agency's key (`petitionctl official api-key`): it acts as the official it was issued to.",
            "schema": {"type": "string", "minLength": 1}}
O311_JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": False,
                     "description": "Mã đơn vị. / A registered unit's code (default: the key's own unit).", "schema": {"type": "string"}}
for fmt in ("json", "xml"):
    tag = ["open311"]
    paths[f"/open311/v2/discovery.{fmt}"] = {"get": {
        "operationId": f"open311Discovery_{fmt}", "tags": tag, "security": NO_AUTH, "summary": "Open311: discovery",
        "responses": {"200": o311_response("Discovery.", "Open311Discovery", fmt), **o311_errors(fmt, "500")}}}
    paths[f"/open311/v2/services.{fmt}"] = {"get": {
        "operationId": f"open311Services_{fmt}", "tags": tag, "security": NO_AUTH, "summary": "Open311: các lĩnh vực (services)",
        "description": "No key needed: the fields as services.",
        "parameters": [O311_JURISDICTION],
        "responses": {"200": o311_response("Các dịch vụ. / The services.", None, fmt) if fmt == "xml" else
                      {"description": "Các dịch vụ. / The services.",
                       "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": S + "Open311Service"}}}}},
                      **o311_errors(fmt, "404", "503", "500")}}}
    paths[f"/open311/v2/services/{{service_code}}.{fmt}"] = {"get": {
        "operationId": f"open311ServiceDefinition_{fmt}", "tags": tag, "security": NO_AUTH, "summary": "Open311: định nghĩa một dịch vụ",
        "parameters": [{"name": "service_code", "in": "path", "required": True, "schema": {"$ref": S + "category"}}],
        "responses": {"200": o311_response("Định nghĩa. / The service definition.", "Open311ServiceDefinition", fmt),
                      **o311_errors(fmt, "404", "500")}}}
    request_list = ({"description": "Các yêu cầu. / The requests, newest first, at most 1000.",
                     "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": S + "Open311Request"}}}}}
                    if fmt == "json" else o311_response("Các yêu cầu. / The requests.", None, fmt))
    paths[f"/open311/v2/requests.{fmt}"] = {
        "get": {
            "operationId": f"open311ListRequests_{fmt}", "tags": tag, "security": NO_AUTH, "summary": "Open311: các yêu cầu (kiến nghị)",
            "description": "The petitions of a jurisdiction within the key's units: the last 90 days unless start_date/end_date say otherwise.",
            "parameters": [O311_KEY, O311_JURISDICTION,
                           {"name": "service_request_id", "in": "query", "required": False, "description": "Comma-separated petition ids (at most 100); other filters are then ignored.", "schema": {"type": "string"}},
                           {"name": "service_code", "in": "query", "required": False, "schema": {"$ref": S + "category"}},
                           {"name": "start_date", "in": "query", "required": False, "schema": QUERY_INSTANT},
                           {"name": "end_date", "in": "query", "required": False, "schema": QUERY_INSTANT},
                           {"name": "status", "in": "query", "required": False, "schema": {"enum": ["open", "closed"]}}],
            "responses": {"200": request_list, **o311_errors(fmt, "400", "403", "404", "503", "500")}},
        "post": {
            "operationId": f"open311PostRequest_{fmt}", "tags": tag, "security": NO_AUTH, "summary": "Open311: gửi một kiến nghị",
            "description": ("Records a petition at the jurisdiction's latest dialogue session (or attribute[session]) as the key's "
                            "official; the citizen's name (first_name, last_name), phone and address_string are sealed and never "
                            "shown. Idempotency-Key works as for POST /api/v1/petitions."),
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                    "api_key": O311_TEXT, "jurisdiction_id": O311_TEXT, "service_code": {"$ref": S + "category"}, "description": O311_TEXT,
                    "first_name": O311_TEXT, "last_name": O311_TEXT, "phone": O311_TEXT, "address_string": O311_TEXT,
                    "attribute[kind]": {"$ref": S + "kind"}, "attribute[session]": O311_TEXT},
                    "required": ["api_key", "service_code", "description"]}}}},
            "responses": {"201": {"description": "Đã ghi. / Recorded.",
                                  "content": ({"application/json": {"schema": {"type": "array", "items": {"$ref": S + "Open311Created"}}}}
                                              if fmt == "json" else copy.deepcopy(O311_XML))},
                          **o311_errors(fmt, "400", "403", "404", "409", "413", "415", "422", "429", "503", "500")}}}
    paths[f"/open311/v2/requests/{{service_request_id}}.{fmt}"] = {"get": {
        "operationId": f"open311GetRequest_{fmt}", "tags": tag, "security": NO_AUTH, "summary": "Open311: một yêu cầu",
        "parameters": [{"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^P[0-9]{6,}$"}}, O311_KEY],
        "responses": {"200": request_list if fmt == "xml" else {"description": "The request, as a list of one.",
                      "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": S + "Open311Request"}, "maxItems": 1}}}},
                      **o311_errors(fmt, "403", "404", "422", "503", "500")}}}
    paths[f"/open311/v2/tokens/{{token}}.{fmt}"] = {"get": {
        "operationId": f"open311Token_{fmt}", "tags": tag, "security": NO_AUTH, "summary": "Open311: yêu cầu theo token (mã tra cứu)",
        "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}, O311_KEY],
        "responses": {"200": o311_response("The request id of a token.", None, fmt) if fmt == "xml" else
                      {"description": "The request id of a token, as a list of one.",
                       "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": S + "Open311Token"}, "maxItems": 1}}}},
                      **o311_errors(fmt, "400", "403", "404", "503", "500")}}}

doc = {
    "openapi": "3.1.0",
    "info": {
        "title": "API theo dõi kiến nghị của cử tri sau hội nghị đối thoại — petition-api",
        "version": "1.0.0",
        "description": (
            "API HTTP của hệ thống theo dõi kiến nghị của cử tri sau hội nghị đối thoại giữa lãnh đạo chính quyền và nhân dân: "
            "ghi biên bản hội nghị và kiến nghị, trả lời tại chỗ, chuyển cơ quan chuyên môn giải quyết, gia hạn, tiếp nhận, "
            "giải quyết, ghi ý kiến cử tri; xem các kiến nghị còn phải xử lý, trách nhiệm, cảnh báo quá hạn; cử tri tra cứu "
            "bằng mã trên phiếu nhận. Mỗi lệnh được gửi tới gateway thay mặt cán bộ đã đăng nhập, với đúng vai trò và phạm vi "
            "của họ. Mọi lời từ chối là application/problem+json (RFC 9457).\n\n"
            "The HTTP API (petition-api) of the voters' petition follow-up system: the door for every front end. It writes "
            "nothing itself: it sends each command to the gateway on behalf of the official who logged in (who is decided "
            "exactly as if that official had sent it with their own key) and asks the projector for the views. Log in with "
            "POST /api/v1/login, then send Authorization: Bearer <token> or the petition_session cookie. Bodies are JSON "
            "objects (application/json, at most 64 KiB); a body never says who acts. Idempotency-Key makes a command "
            "recorded once; If-Match makes a petition's action conditional on its version. A read waits for the last "
            "command sent through the API, so an official reads their own writes. Every refusal is RFC 9457 "
            "application/problem+json with a stable code. See README.md, section \"The HTTP API (petition-api)\"."),
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}, {"cookie": []}],
    "tags": [
        {"name": "health", "description": "Tình trạng tiến trình. / Liveness, readiness and metrics; no login."},
        {"name": "sessions", "description": "Đăng nhập, đăng xuất. / Logins and the session's official."},
        {"name": "commands", "description": "Các lệnh ghi vào nhật ký. / Commands, sent to the gateway on the official's behalf."},
        {"name": "reads", "description": "Các truy vấn. / The projector's views and the petition's history."},
        {"name": "registry", "description": "Danh mục. / The registry: units, departments, officials."},
        {"name": "citizens", "description": "Dành cho cử tri. / The citizens' view by tracking code; no login."},
        {"name": "events", "description": "Sự kiện trực tiếp. / The log live (Server-Sent Events)."},
        {"name": "meta", "description": "Tài liệu này. / This document."},
        {"name": "open311", "description": "Open311 GeoReport v2: các lĩnh vực và kiến nghị cho cổng thông tin. / Services and "
                                           "requests for portals; JSON and XML; an api_key instead of a login."},
    ],
    "paths": paths,
    "components": {
        "schemas": schemas,
        "responses": responses,
        "parameters": parameters,
        "headers": headers,
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "The token POST /api/v1/login gives for a bearer session (the default)."},
            "cookie": {"type": "apiKey", "in": "cookie", "name": "petition_session",
                       "description": "The HttpOnly cookie POST /api/v1/login sets for \"session\":\"cookie\"."},
        },
    },
}

# Drop shared definitions nothing references.
text = json.dumps(doc)
while True:
    unused = [n for n in schemas if f'"{S}{n}"' not in json.dumps(doc) and n[0].islower() and n != "errorCode"]
    if not unused:
        break
    for n in unused:
        del schemas[n]

out = json.dumps(doc, indent=2, ensure_ascii=False).replace("(common.json#/$defs/identifier)", "(#/components/schemas/identifier)")
with open(OUT, "w", encoding="utf-8") as f:
    f.write(out + "\n")
print(len(paths), "paths", sum(len(v) for v in paths.values()), "operations", len(schemas), "schemas")
