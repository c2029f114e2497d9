import DigitCompute
import DigitStore
import DigitVision
import Foundation

/// Whole-number accuracy of `NumberReader` on numbers composed of MNIST test digits: crowded
/// (`NumberPictures.Layout.crowded`, about a third of neighbours touching) by length and by the
/// share of touching neighbours, and with the digit count known (`digits:`), the same digits well
/// apart for comparison, and the reading
/// time per 9-digit number on one thread. `--train` composes the numbers of training digits
/// instead, for choosing the reader's costs without looking at the test digits.
func benchNumbers(_ options: [String]) throws {
    func value(_ flag: String) -> String? {
        options.firstIndex(of: flag).flatMap { $0 + 1 < options.count ? options[$0 + 1] : nil }
    }
    let count = value("--count").flatMap { Int($0) } ?? 300
    let test = options.contains("--train") ? slice(try MNIST.load(split: .train, from: dataDirectory), costImages)
        : try MNIST.load(split: .test, from: dataDirectory)
    var reader = NumberReader(classifier: try BundledModel.load().classifier,
                              wholeDigitScorer: options.contains("--no-scorer") ? nil : try BundledModel.wholeDigitScorer())
    if let weight = value("--whole-weight").flatMap(Double.init) { reader.wholeDigitWeight = weight }
    let buckets: [(name: String, range: ClosedRange<Double>)] = [("0", 0...0), ("<=1/3", 0.001...0.334), ("<=2/3", 0.335...0.667),
                                                                 (">2/3", 0.668...1)]
    print("exact whole-number accuracy, \(count) numbers per length, MNIST \(options.contains("--train") ? "training" : "test") digits")
    print("length  apart    crowded  count known  " + buckets.map { "touch \($0.name)".padding(toLength: 18, withPad: " ", startingAt: 0) }.joined())
    var nineDigitSeconds = 0.0
    for length in [2, 5, 9] {
        let apart = NumberPictures.numbers(count, digits: length, from: test, layout: NumberPictures.Layout(), seed: UInt64(1000 + length))
        let crowded = NumberPictures.numbers(count, digits: length, from: test, layout: .crowded, seed: UInt64(2000 + length))
        func right(_ composition: NumberPictures.Composition) -> Bool {
            (try? reader.read(composition.picture).text()) == composition.text
        }
        let apartRight = apart.filter(right).count
        var crowdedRight: [Bool] = []
        let cpu = Scheduler.withThreads(1) { threadCPUSeconds { crowdedRight = crowded.map(right) } }
        if length == 9 { nineDigitSeconds = cpu / Double(count) }
        let knownRight = crowded.filter { (try? reader.read($0.picture, digits: length).text()) == $0.text }.count
        var row = String(format: "%-7d %5.1f%%   %5.1f%%   %5.1f%%       ", length, 100 * Double(apartRight) / Double(count),
                         100 * Double(crowdedRight.filter { $0 }.count) / Double(count), 100 * Double(knownRight) / Double(count))
        for bucket in buckets {
            let members = crowded.indices.filter { bucket.range.contains(crowded[$0].touchingShare) }
            let hits = members.filter { crowdedRight[$0] }.count
            let cell = members.isEmpty ? "-" : String(format: "%5.1f%% (%d)", 100 * Double(hits) / Double(members.count), members.count)
            row += cell.padding(toLength: 18, withPad: " ", startingAt: 0)
        }
        let pairs = crowded.flatMap { $0.touching.flatMap { $0 } }
        print(row + (pairs.isEmpty ? "" : String(format: "%.0f%% of neighbours touch", 100 * Double(pairs.filter { $0 }.count) / Double(pairs.count))))
    }
    print(String(format: "time per crowded 9-digit number, one thread: %.1f ms", nineDigitSeconds * 1000))
}
