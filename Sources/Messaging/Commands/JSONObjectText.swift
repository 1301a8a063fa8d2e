import EventSourcing

/// A JSON object written member by member, texts escaped by ``JSONText``: the messages' encoder.
public struct JSONObjectText {
    private var body = "{"

    public init() {}

    /// The object's JSON text.
    public var text: String { body + "}" }

    /// A member whose value is already JSON (a number, a boolean, an object).
    public mutating func raw(_ key: String, _ json: String) {
        if body.utf8.count > 1 { body += "," }
        JSONText.appendString(key, to: &body)
        body += ":" + json
    }

    /// A member whose value is a string.
    public mutating func string(_ key: String, _ value: String) {
        var encoded = ""
        JSONText.appendString(value, to: &encoded)
        raw(key, encoded)
    }

    /// A member whose value is an array of strings.
    public mutating func strings(_ key: String, _ values: [String]) {
        var encoded = "["
        for (i, v) in values.enumerated() {
            if i > 0 { encoded += "," }
            JSONText.appendString(v, to: &encoded)
        }
        raw(key, encoded + "]")
    }
}
