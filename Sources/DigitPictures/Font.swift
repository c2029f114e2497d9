
/// One glyph of `BitmapFont`: 8 rows of 5 pixels. Bit 4 (0x10) of a row is the leftmost pixel.
///
/// Rows 0...6 hold capitals, digits and most punctuation (the baseline is row 6);
/// row 7 is the descender of g, j, p, q, y, the comma and the underscore.
package struct Glyph: Equatable, Hashable, Sendable {
    package let rows: [UInt8]

    package init(rows: [UInt8]) {
        precondition(rows.count == BitmapFont.glyphHeight && rows.allSatisfy { $0 < 32 })
        self.rows = rows
    }

    /// Whether pixel (`x` in 0..<5, `y` in 0..<8) is ink.
    package func isSet(x: Int, y: Int) -> Bool {
        rows[y] & (0x10 >> UInt8(x)) != 0
    }

    /// Number of ink pixels.
    package var inkCount: Int { rows.reduce(0) { $0 + $1.nonzeroBitCount } }
}

/// A fixed-pitch 5x7 bitmap font (plus a one-row descender), drawn at integer scales.
///
/// Covers printable ASCII (space through `~`) and the arrow U+2192 "→". Any other
/// character is drawn as `BitmapFont.missing`, a hollow box. At scale `s` a glyph covers
/// `5s` x `8s` pixels, characters advance `6s` pixels and lines advance `10s` pixels.
package enum BitmapFont {
    package static let glyphWidth = 5
    /// Glyph box height, including the descender row.
    package static let glyphHeight = 8
    /// Horizontal distance between the left edges of neighbouring characters, at scale 1.
    package static let advance = 6
    /// Vertical distance between the tops of neighbouring lines, at scale 1.
    package static let lineAdvance = 10

    /// Drawn for characters the font does not have.
    package static let missing = Glyph(rows: [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F, 0x00])

    /// Every character the font has, in table order.
    package static let characters: [Character] = table.map(\.0)

    /// The glyph for `c`, or nil when the font lacks it.
    package static func glyph(for c: Character) -> Glyph? { glyphs[c] }

    /// Width in pixels of the widest line of `text` at `scale` (0 for empty text).
    /// Lines are separated by "\n"; there is no spacing after the last character.
    package static func textWidth(_ text: String, scale: Int = 1) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? 0 : ($0.count * advance - 1) * scale }
            .max() ?? 0
    }

    /// Height in pixels of `text` at `scale`: the glyph box of the last line (descender
    /// included) plus `lineAdvance` per earlier line. One line is `8 * scale` tall.
    package static func textHeight(_ text: String, scale: Int = 1) -> Int {
        let lines = text.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        return ((lines - 1) * lineAdvance + glyphHeight) * scale
    }

    private static let glyphs: [Character: Glyph] = {
        var d: [Character: Glyph] = [:]
        for (c, hex) in table {
            precondition(hex.count == 16 && d[c] == nil, "bad font entry \(c)")
            let bytes = Array(hex.utf8)
            let rows = (0..<8).map { i in UInt8(String(decoding: bytes[2 * i ..< 2 * i + 2], as: UTF8.self), radix: 16)! }
            d[c] = Glyph(rows: rows)
        }
        return d
    }()

    /// 8 rows per glyph, two hex digits per row, top row first.
    private static let table: [(Character, String)] = [
        (" ", "0000000000000000"), ("!", "0404040404000400"), ("\"", "0A0A000000000000"),
        ("#", "0A0A1F0A1F0A0A00"), ("$", "040F140E051E0400"), ("%", "1819020408130300"),
        ("&", "0C12140815120D00"), ("'", "0404080000000000"), ("(", "0204080808040200"),
        (")", "0804020202040800"), ("*", "0004150E15040000"), ("+", "0004041F04040000"),
        (",", "00000000000C0408"), ("-", "0000000E00000000"), (".", "00000000000C0C00"),
        ("/", "0001020408100000"),
        ("0", "0E11131519110E00"), ("1", "040C040404040E00"), ("2", "0E11010204081F00"),
        ("3", "1F02040201110E00"), ("4", "02060A121F020200"), ("5", "1F101E0101110E00"),
        ("6", "0608101E11110E00"), ("7", "1F01020408080800"), ("8", "0E11110E11110E00"),
        ("9", "0E11110F01020C00"),
        (":", "00000C0C000C0C00"), (";", "00000C0C000C0408"), ("<", "0204081008040200"),
        ("=", "00001F001F000000"), (">", "0804020102040800"), ("?", "0E11010204000400"),
        ("@", "0E11171517100F00"),
        ("A", "0E1111111F111100"), ("B", "1E11111E11111E00"), ("C", "0E11101010110E00"),
        ("D", "1C12111111121C00"), ("E", "1F10101E10101F00"), ("F", "1F10101E10101000"),
        ("G", "0E11101711110F00"), ("H", "1111111F11111100"), ("I", "0E04040404040E00"),
        ("J", "0702020202120C00"), ("K", "1112141814121100"), ("L", "1010101010101F00"),
        ("M", "111B151511111100"), ("N", "1111191513111100"), ("O", "0E11111111110E00"),
        ("P", "1E11111E10101000"), ("Q", "0E11111115120D00"), ("R", "1E11111E14121100"),
        ("S", "0F10100E01011E00"), ("T", "1F04040404040400"), ("U", "1111111111110E00"),
        ("V", "11111111110A0400"), ("W", "1111111515150A00"), ("X", "11110A040A111100"),
        ("Y", "1111110A04040400"), ("Z", "1F01020408101F00"),
        ("[", "0E08080808080E00"), ("\\", "0010080402010000"), ("]", "0E02020202020E00"),
        ("^", "040A110000000000"), ("_", "000000000000001F"), ("`", "0804020000000000"),
        ("a", "00000E010F110F00"), ("b", "1010161911111E00"), ("c", "00000E1010110E00"),
        ("d", "01010D1311110F00"), ("e", "00000E111F100E00"), ("f", "0609081C08080800"),
        ("g", "00000F11110F010E"), ("h", "1010161911111100"), ("i", "04000C0404040E00"),
        ("j", "020006020202120C"), ("k", "1010121418141200"), ("l", "0C04040404040E00"),
        ("m", "00001A1515111100"), ("n", "0000161911111100"), ("o", "00000E1111110E00"),
        ("p", "00001E11111E1010"), ("q", "00000F11110F0101"), ("r", "0000161910101000"),
        ("s", "00000E100E011E00"), ("t", "08081C0808090600"), ("u", "0000111111130D00"),
        ("v", "00001111110A0400"), ("w", "0000111115150A00"), ("x", "0000110A040A1100"),
        ("y", "00001111110F010E"), ("z", "00001F0204081F00"),
        ("{", "0204040804040200"), ("|", "0404040404040404"), ("}", "0804040204040800"),
        ("~", "0000081502000000"), ("\u{2192}", "0004021F02040000"),
    ]
}

/// Width in pixels of `text` drawn with `BitmapFont` at `scale`; see `BitmapFont.textWidth`.
package func textWidth(_ text: String, scale: Int = 1) -> Int {
    BitmapFont.textWidth(text, scale: scale)
}
