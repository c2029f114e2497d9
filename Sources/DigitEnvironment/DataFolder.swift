
/// Where the MNIST-format data is looked for: the one policy of the command-line tools.
package enum DataFolder {
    /// The folder used when neither `--data` nor `$DIGIT_DATA` names one.
    package static let defaultDirectory = "~/.digit/mnist"

    /// The data folder: `flag` if given, else `$DIGIT_DATA`, else `defaultDirectory`,
    /// with a leading `~` or `~/` expanded to `$HOME` (`~user` forms are left as given).
    package static func resolveDirectory(flag: String?, environment: [String: String]) -> String {
        let chosen = flag ?? environment["DIGIT_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultDirectory
        if chosen == "~" || chosen.hasPrefix("~/"), let home = environment["HOME"] {
            return home + chosen.dropFirst()
        }
        return chosen
    }
}
