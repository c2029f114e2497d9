import DigitCompute
import DigitFiles
import DigitStore
import Foundation

/// Which trained model reads: the one that ships inside the package, or a model file.
public enum ModelChoice: Sendable, Equatable {
    /// The model bundled with the package (`scripts/train-default` reproduces it).
    case bundled
    /// A model file `digit train` wrote, at this path.
    case file(String)

    /// `.file(path)` when a path is given, else `.bundled`: how `--model FILE` is read.
    public init(path: String?) {
        self = path.map(ModelChoice.file) ?? .bundled
    }

    /// How commands name the model: "bundled model", or the file's path as given.
    public var displayName: String {
        switch self {
        case .bundled: "bundled model"
        case .file(let path): path
        }
    }

    /// The model with its metadata. Throws `FileError` naming the file when it is missing,
    /// unreadable or not an intact model file, or when the build lost the bundled one.
    package func load() throws -> Model {
        switch self {
        case .bundled: try BundledModel.load()
        case .file(let path): try ModelFile.load(path: path)
        }
    }
}

/// A model being loaded on a thread of its own, or already loaded: what a `DigitReader` reads
/// with. Every reader method waits for it (from any number of threads) and rethrows its error.
final class ModelLoad: @unchecked Sendable {
    /// Written once, by `init` or by the loading thread before it leaves `loaded`.
    private var result: Result<Model, Error>?
    private let loaded = DispatchGroup()

    /// Loads `choice` now, on this thread.
    init(loading choice: ModelChoice) {
        result = Result { try choice.load() }
    }

    /// Holds `model`, already in memory.
    init(holding model: Model) {
        result = .success(model)
    }

    /// Starts loading `choice` on a thread of its own and returns at once.
    init(startLoading choice: ModelChoice) {
        loaded.enter()
        Thread { [self] in
            result = Result { try choice.load() }
            loaded.leave()
        }.start()
    }

    /// The model once loaded; the load's error otherwise.
    func get() throws -> Model {
        loaded.wait()
        return try result!.get()
    }
}
