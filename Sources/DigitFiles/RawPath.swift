
/// A file-system path as the kernel holds it: bytes, which need not be UTF-8.
///
/// A Swift `String` cannot carry a name such as `caf\xE9.png` (Latin-1 bytes from an old
/// camera or a zip archive): decoding it replaces the byte with U+FFFD, and that path does
/// not exist. Paths found by walking folders stay `RawPath`s until they are opened, and
/// only messages use `displayName`.
package struct RawPath: Hashable, Sendable, CustomStringConvertible {
    /// The path's bytes, without a terminating NUL.
    package let bytes: [UInt8]

    package init(_ path: String) {
        bytes = Array(path.utf8)
    }

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// This path followed by `/` and `name` (no second `/` when this path ends in one).
    package func appending(_ name: [UInt8]) -> RawPath {
        RawPath(bytes: bytes.last == UInt8(ascii: "/") ? bytes + name : bytes + [UInt8(ascii: "/")] + name)
    }

    /// True when the name ends in `suffix`, compared ignoring ASCII case.
    package func hasSuffix(ignoringCase suffix: String) -> Bool {
        let tail = Array(suffix.utf8)
        guard bytes.count >= tail.count else { return false }
        return zip(bytes.suffix(tail.count), tail).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// The path as text for messages: UTF-8 decoded, each byte that is not part of valid
    /// UTF-8 written as `\xNN` (so `caf\xE9.png` names the file unambiguously).
    package var displayName: String {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var text = ""
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                text.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] {
                    text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                }
                offset += length
            case .emptyInput:
                return text
            }
        }
    }

    package var description: String { displayName }

    /// Calls `body` with the path as a NUL-terminated C string, for system calls.
    package func withCString<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// Byte order, which is code-point order for UTF-8 names.
    package static func < (lhs: RawPath, rhs: RawPath) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension RawPath: Comparable {}

private func lowercased(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
}
