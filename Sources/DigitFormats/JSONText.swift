import Foundation

/// One line of JSON from a Codable value, keys sorted and slashes left as they are: how the
/// CLI prints its reports and how `read --json` writes its strings.
package func jsonLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding our own plain structs and strings cannot fail.
    let data = try! encoder.encode(value)
    return String(decoding: data, as: UTF8.self)
}

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped
/// (`\n`, `\r`, `\t`, else `\u00XX`), everything else kept as it is.
package func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// Shortest text that reads back as the same Float (Swift's description), e.g. 0.9983.
package func shortestFloatText(_ value: Float) -> String { "\(value)" }
