import Foundation

/// One line of JSON from a Codable report, keys sorted and slashes left as they are: how
/// `train`, `info` and `evaluate` print their `--json` reports. Reading records, whose fields
/// keep their documented order, go through `jsonRecord` instead.
func jsonLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding our own plain structs cannot fail.
    let data = try! encoder.encode(value)
    return String(decoding: data, as: UTF8.self)
}
