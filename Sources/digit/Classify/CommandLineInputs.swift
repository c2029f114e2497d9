import DigitFiles
import DigitKit
import Foundation

extension PictureFiles {
    /// The pictures named by a command's path arguments, each looked up by the bytes the user gave.
    init(commandLineArguments arguments: [String], recursive: Bool) {
        self.init(rawPaths: arguments.map(RawPath.init(commandLineArgument:)), recursive: recursive)
    }
}

/// Writes `lines` to stdout, each ending in a line break, in one write: how `classify` and
/// `read` stream a batch of readings.
func printLines(_ lines: [String]) {
    FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
}

extension RawPath {
    /// The bytes the user gave for `argument`. `CommandLine.arguments` (and so every parsed
    /// argument) has bytes that are not UTF-8 replaced by U+FFFD; such an argument is looked
    /// up in the raw `argv` so the file it names still opens.
    init(commandLineArgument argument: String) {
        guard argument.unicodeScalars.contains("\u{FFFD}") else {
            self.init(argument)
            return
        }
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let raw = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            if String(decoding: raw, as: UTF8.self) == argument {
                self.init(bytes: raw)
                return
            }
        }
        self.init(argument)
    }
}
