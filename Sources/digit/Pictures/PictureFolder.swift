import ArgumentParser
import DigitFiles
import DigitImage
import DigitPNG
import DigitStore
import Foundation

/// The output folder of the export commands.
///
/// Creating one creates the folder (and its parents) if missing, so commands make it
/// only after their arguments, data and model have all loaded: a command that fails
/// before that leaves nothing behind. Every file is replaced atomically and reported on
/// stdout as one `wrote PATH (NOTE)` line; files it is not asked to write are left alone.
struct PictureFolder {
    let path: String

    init(creating path: String) throws {
        try makeFolder(path)
        self.path = path
    }

    /// The path of `name` inside the folder.
    func file(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    func contains(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: file(name))
    }

    func write(_ picture: RGBImage, as name: String, note: String) throws {
        try writePNG(picture, to: file(name))
        report("wrote", name, note: "\(note), \(picture.width)x\(picture.height)")
    }

    func write(text: String, as name: String, note: String) throws {
        try AtomicFile.write(text: text, to: file(name))
        report("wrote", name, note: note)
    }

    /// Deletes the error pages numbered after `lastPage` (`errors-NN.png` with no gap from
    /// there on) that an earlier run with more mistakes left, so the folder and its
    /// index page show only this run's pages.
    func removeErrorPages(after lastPage: Int) throws {
        var page = lastPage + 1
        while contains(PictureName.errorPage(page)) {
            let name = PictureName.errorPage(page)
            do {
                try FileManager.default.removeItem(atPath: file(name))
            } catch {
                throw FileError(path: file(name), reason: "cannot remove (\((error as NSError).localizedDescription))")
            }
            report("removed", name, note: "left from an earlier run")
            page += 1
        }
    }

    /// Rewrites `index.html` to show every picture of `IndexPage` now in the folder.
    func writeIndexPage() throws {
        let page = IndexPage(listing: self)
        try write(text: page.html, as: IndexPage.fileName, note: counted(page.pictureCount, "picture"))
    }

    private func report(_ verb: String, _ name: String, note: String) {
        print("\(verb) \(file(name)) (\(note))")
    }
}

/// The names the export commands give their files.
enum PictureName {
    static func samples(_ split: Split) -> String { "samples-\(split.rawValue).png" }
    /// Page `number` (from 1) of the error grids: `errors-01.png`, `errors-02.png`, ...
    static func errorPage(_ number: Int) -> String { String(format: "errors-%02d.png", number) }
    static let errorsTable = "errors.csv"
    static let confusion = "confusion.png"
    static let confusionTable = "confusion.csv"
    static let trainingCurves = "training-curves.png"
    static let weights = "weights.png"

    /// How many error pages the folder holds: `errors-01.png` and the pages numbered on
    /// from it without a gap.
    static func errorPageCount(in folder: PictureFolder) -> Int {
        var count = 0
        while folder.contains(errorPage(count + 1)) { count += 1 }
        return count
    }
}

/// `count` and `noun`, plural unless the count is 1: "1 picture", "3 pictures".
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)" + (count == 1 ? "" : "s")
}

extension Split: ExpressibleByArgument {}
