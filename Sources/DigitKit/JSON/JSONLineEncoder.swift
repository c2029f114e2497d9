import Foundation

/// Encodes a value as one line of JSON whose object keys stand in the order the value encodes
/// them, so a record reads `{"file":...,"digit":7,...}` with its file first, as documented.
///
/// JSONEncoder cannot keep that order (it either sorts keys or orders them by hash), so this
/// encoder builds the structure itself and leaves every string to JSONEncoder: one escaping
/// for the whole project (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters
/// as `\u00XX`, slashes and everything else as they are). Numbers are Swift's shortest text
/// that reads back as the same value (`0.9983`, `1.0`, `3e-07`). Throws
/// `EncodingError.invalidValue` for a NaN or infinite number, which JSON cannot hold.
public struct JSONLineEncoder: Sendable {
    public init() {}

    /// `value` as one line of JSON, without a line break.
    public func encode(_ value: some Encodable) throws -> String {
        let root = Slot()
        try value.encode(to: SlotEncoder(slot: root, codingPath: []))
        return root.text
    }
}

/// One JSON value being built: unset, a finished literal, an object or an array.
private final class Slot {
    enum Content {
        case unset
        case literal(String)
        case object([(key: String, value: Slot)])
        case array([Slot])
    }
    var content = Content.unset

    var text: String {
        switch content {
        // A value that encoded nothing at all, like an empty keyed container, is an empty object.
        case .unset: "{}"
        case .literal(let text): text
        case .object(let fields): "{" + fields.map { "\(stringLiteral($0.key)):\($0.value.text)" }.joined(separator: ",") + "}"
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        }
    }

    func appendField(_ key: String) -> Slot {
        let slot = Slot()
        var fields: [(key: String, value: Slot)] = []
        if case .object(let existing) = content { fields = existing }
        content = .unset  // so the append below does not copy the fields
        fields.removeAll { $0.key == key }
        fields.append((key, slot))
        content = .object(fields)
        return slot
    }

    func appendItem() -> Slot {
        let slot = Slot()
        var items: [Slot] = []
        if case .array(let existing) = content { items = existing }
        content = .unset  // so the append below does not copy the items
        items.append(slot)
        content = .array(items)
        return slot
    }

    func becomeObject() { if case .object = content {} else { content = .object([]) } }
    func becomeArray() { if case .array = content {} else { content = .array([]) } }
}

/// `text` as a JSON string literal, escaped by JSONEncoder.
private func stringLiteral(_ text: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    // A String always encodes.
    return String(decoding: try! encoder.encode(text), as: UTF8.self)
}

private func numberLiteral<Number: BinaryFloatingPoint & LosslessStringConvertible>(
    _ value: Number, codingPath: [CodingKey]) throws -> String {
    guard value.isFinite else {
        throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription: "JSON holds no NaN or infinity"))
    }
    return String(value)
}

private struct SlotEncoder: Encoder {
    let slot: Slot
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.becomeObject()
        return KeyedEncodingContainer(KeyedSlots(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        slot.becomeArray()
        return UnkeyedSlots(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleSlot(slot: slot, codingPath: codingPath) }
}

private struct SingleSlot: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [CodingKey]

    func encodeNil() { slot.content = .literal("null") }
    func encode(_ value: Bool) { slot.content = .literal(value ? "true" : "false") }
    func encode(_ value: String) { slot.content = .literal(stringLiteral(value)) }
    func encode(_ value: Double) throws { slot.content = .literal(try numberLiteral(value, codingPath: codingPath)) }
    func encode(_ value: Float) throws { slot.content = .literal(try numberLiteral(value, codingPath: codingPath)) }
    func encode(_ value: Int) { slot.content = .literal(String(value)) }
    func encode(_ value: Int8) { slot.content = .literal(String(value)) }
    func encode(_ value: Int16) { slot.content = .literal(String(value)) }
    func encode(_ value: Int32) { slot.content = .literal(String(value)) }
    func encode(_ value: Int64) { slot.content = .literal(String(value)) }
    func encode(_ value: UInt) { slot.content = .literal(String(value)) }
    func encode(_ value: UInt8) { slot.content = .literal(String(value)) }
    func encode(_ value: UInt16) { slot.content = .literal(String(value)) }
    func encode(_ value: UInt32) { slot.content = .literal(String(value)) }
    func encode(_ value: UInt64) { slot.content = .literal(String(value)) }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: SlotEncoder(slot: slot, codingPath: codingPath)) }
}

private struct KeyedSlots<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [CodingKey]

    private func single(_ key: Key) -> SingleSlot { SingleSlot(slot: slot.appendField(key.stringValue), codingPath: codingPath + [key]) }

    func encodeNil(forKey key: Key) { single(key).encodeNil() }
    func encode(_ value: Bool, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: String, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Double, forKey key: Key) throws { try single(key).encode(value) }
    func encode(_ value: Float, forKey key: Key) throws { try single(key).encode(value) }
    func encode(_ value: Int, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int8, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int16, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int32, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: Int64, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt8, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt16, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt32, forKey key: Key) { single(key).encode(value) }
    func encode(_ value: UInt64, forKey key: Key) { single(key).encode(value) }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try single(key).encode(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        SlotEncoder(slot: slot.appendField(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        SlotEncoder(slot: slot.appendField(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superEncoder() -> Encoder { SlotEncoder(slot: slot.appendField("super"), codingPath: codingPath) }
    func superEncoder(forKey key: Key) -> Encoder { SlotEncoder(slot: slot.appendField(key.stringValue), codingPath: codingPath + [key]) }
}

private struct UnkeyedSlots: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [CodingKey]
    var count: Int {
        if case .array(let items) = slot.content { return items.count }
        return 0
    }

    private func single() -> SingleSlot { SingleSlot(slot: slot.appendItem(), codingPath: codingPath) }

    func encodeNil() { single().encodeNil() }
    func encode(_ value: Bool) { single().encode(value) }
    func encode(_ value: String) { single().encode(value) }
    func encode(_ value: Double) throws { try single().encode(value) }
    func encode(_ value: Float) throws { try single().encode(value) }
    func encode(_ value: Int) { single().encode(value) }
    func encode(_ value: Int8) { single().encode(value) }
    func encode(_ value: Int16) { single().encode(value) }
    func encode(_ value: Int32) { single().encode(value) }
    func encode(_ value: Int64) { single().encode(value) }
    func encode(_ value: UInt) { single().encode(value) }
    func encode(_ value: UInt8) { single().encode(value) }
    func encode(_ value: UInt16) { single().encode(value) }
    func encode(_ value: UInt32) { single().encode(value) }
    func encode(_ value: UInt64) { single().encode(value) }
    func encode<T: Encodable>(_ value: T) throws { try single().encode(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        SlotEncoder(slot: slot.appendItem(), codingPath: codingPath).container(keyedBy: type)
    }

    func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        SlotEncoder(slot: slot.appendItem(), codingPath: codingPath).unkeyedContainer()
    }

    func superEncoder() -> Encoder { SlotEncoder(slot: slot.appendItem(), codingPath: codingPath) }
}
