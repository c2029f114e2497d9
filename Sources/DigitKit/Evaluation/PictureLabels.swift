import DigitFiles
import Foundation

/// The labels of a person's pictures: from their names, or from a `file,label` CSV file.
public enum PictureLabels {
    /// The label a file name gives: `7-x.png` → 7, `00042_7.png` → 7; nil when it gives none,
    /// or two that differ (`3_7.png`).
    public static func label(fromName name: String) -> Int? {
        let characters = Array(name)
        var leading: Int?
        if let first = characters.first, first.isASCII, let digit = first.wholeNumberValue,
           characters.count > 1, !characters[1].isNumber {
            leading = digit
        }
        var trailing: Int?
        let stem = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        if stem.contains("_"), let last = stem.split(separator: "_", omittingEmptySubsequences: false).last,
           last.count == 1, last.first!.isASCII, let digit = last.first!.wholeNumberValue {
            trailing = digit
        }
        if let leading, let trailing, leading != trailing { return nil }
        return leading ?? trailing
    }

    /// `file,label` rows (an optional `file,label` header first); blank lines skipped.
    public static func table(_ path: String) throws -> [String: Int] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(path: path, reason: "cannot read the labels file")
        }
        var table: [String: Int] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (number, line) in lines.enumerated() {
            var row = line.trimmingCharacters(in: .whitespaces)
            if number == 0 && row.hasPrefix("\u{FEFF}") { row.removeFirst() }
            if row.isEmpty || (number == 0 && row.lowercased() == "file,label") { continue }
            guard let comma = row.lastIndex(of: ","),
                  let label = Int(unquoted(row[row.index(after: comma)...])), (0...9).contains(label) else {
                throw FileError(path: path, reason: "line \(number + 1) is not file,label with a label 0-9: \(row)")
            }
            let file = unquoted(row[..<comma])
            guard table.updateValue(label, forKey: file) == nil else {
                throw FileError(path: path, reason: "line \(number + 1) labels \(file) a second time")
            }
        }
        return table
    }

    /// A CSV field trimmed and, when quoted, unquoted (`"a,b.png"` → `a,b.png`, `""` → `"`).
    private static func unquoted(_ field: Substring) -> String {
        let text = field.trimmingCharacters(in: .whitespaces)
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }
}
