
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

    /// `resolveDirectory(flag: nil, environment:)`, except that when `$DIGIT_DATA` is unset or
    /// empty and the default folder does not exist (`exists` says), `fallback`: for callers that
    /// know of a second place the data may be, such as this package's tests and a shared copy
    /// beside the checkout. A folder named by `$DIGIT_DATA` is kept even when it is missing.
    package static func resolveDirectory(environment: [String: String], fallback: String,
                                         exists: (String) -> Bool) -> String {
        let resolved = resolveDirectory(flag: nil, environment: environment)
        let named = environment["DIGIT_DATA"].map { !$0.isEmpty } ?? false
        return named || exists(resolved) ? resolved : fallback
    }
}
