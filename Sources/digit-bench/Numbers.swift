import DigitCompute
import DigitStore
import DigitPNG
import DigitVision
import Foundation

/// Whole-number accuracy of `NumberReader` on numbers composed of MNIST test digits: crowded
/// (`NumberPictures.Layout.crowded`, about a fifth of neighbours touching) by length and by the
/// share of touching neighbours, and with the digit count known (`digits:`), the same digits well
/// apart for comparison, and the reading time per 9-digit number on one thread. `--train`
/// composes the numbers of the training digits the whole-digit scorer did not learn from
/// (`costImages`), for choosing the reader's settings without looking at the test digits.
/// `--oracle` adds how often the candidates hold the true digits at all; `--failures DIR` writes
/// the misread numbers as PNGs; `--kinds` adds the crowded 5-digit accuracy per picture
/// kind (`NumberPictures.PictureKind`); `--no-scorer`, `--scorer FILE`, `--whole-weight`, `--cuts-per-height`,
/// `--cut-width` and `--render-side` change the reader's settings.
func benchNumbers(_ options: [String]) throws {
    func value(_ flag: String) -> String? {
        options.firstIndex(of: flag).flatMap { $0 + 1 < options.count ? options[$0 + 1] : nil }
    }
    let count = value("--count").flatMap { Int($0) } ?? 300
    let test = options.contains("--train") ? slice(try MNIST.load(split: .train, from: dataDirectory), costImages)
        : try MNIST.load(split: .test, from: dataDirectory)
    var reader = NumberReader(classifier: try BundledModel.load().classifier,
                              wholeDigitScorer: options.contains("--no-scorer") ? nil
                                : try value("--scorer").map { try ModelFile.load(path: $0).classifier } ?? BundledModel.wholeDigitScorer())
    if let weight = value("--whole-weight").flatMap(Double.init) { reader.wholeDigitWeight = weight }
    if let cuts = value("--cuts-per-height").flatMap(Double.init) { reader.segmenter.cutsPerHeight = cuts }
    if let width = value("--cut-width").flatMap(Double.init) { reader.segmenter.cutWidth = width }
    if let side = value("--render-side").flatMap(Int.init) { reader.segmenter.preprocessor.renderSide = side }
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
        if let folder = value("--failures") {
            for (layout, numbers) in [("crowded", crowded), ("apart", apart)] {
                for (index, composition) in numbers.enumerated() {
                    let read = (try? reader.read(composition.picture).text()) ?? "nothing"
                    guard read != composition.text else { continue }
                    try writePNG(composition.picture, to: "\(folder)/\(layout)-\(length)-\(index)-\(composition.text)-read-\(read).png")
                }
            }
        }
        if options.contains("--oracle") {
            let reachable = crowded.filter { segmentationReachable($0, reader: reader) }.count
            print(String(format: "  %d digits: a path of the true digits' boxes exists in %.1f%% of the crowded numbers", length,
                         100 * Double(reachable) / Double(count)))
        }
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
    if options.contains("--kinds") { benchPictureKinds(count: count, from: test, reader: reader) }
}

/// Per picture kind, the exact accuracy of `count` crowded 5-digit numbers of `set`, read freely
/// and with the digit count known. The clean kind's numbers are the table's crowded 5-digit ones.
func benchPictureKinds(count: Int, from set: Dataset, reader: NumberReader) {
    print("picture kind     crowded  count known   (\(count) crowded 5-digit numbers each)")
    for kind in NumberPictures.PictureKind.allCases {
        let numbers = NumberPictures.numbers(count, digits: 5, from: set, layout: .crowded, kind: kind, seed: 2005)
        let free = numbers.filter { (try? reader.read($0.picture).text()) == $0.text }.count
        let known = numbers.filter { (try? reader.read($0.picture, digits: 5).text()) == $0.text }.count
        print(String(format: "%@  %5.1f%%   %5.1f%%", kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0),
                     100 * Double(free) / Double(count), 100 * Double(known) / Double(count)))
    }
}

/// Whether the reader's candidates hold a path whose digits are the number's true digits, in
/// order, each candidate's box overlapping its true box by at least half (intersection over union).
func segmentationReachable(_ composition: NumberPictures.Composition, reader: NumberReader) -> Bool {
    guard let lines = try? reader.prepare(composition.picture), lines.count == 1 else { return false }
    let truth = composition.boxes.flatMap { $0 }
    // reached: the numbers of true digits matched when a stretch's position is reached.
    var before: Set<Int> = [0]
    for stretch in lines[0] {
        var reached = [Set<Int>](repeating: [], count: stretch.end + 1)
        reached[0] = before
        for candidate in stretch.candidates.sorted(by: { $0.span.lowerBound < $1.span.lowerBound }) {
            for matched in reached[candidate.span.lowerBound]
            where matched < truth.count && candidate.box.intersectionOverUnion(truth[matched]) >= 0.5 {
                reached[candidate.span.upperBound].insert(matched + 1)
            }
        }
        before = reached[stretch.end]
    }
    return before.contains(truth.count)
}

/// Prints every candidate digit the reader weighs in the PNG at `path`: its span over the cuts,
/// box, the network's digit and confidence, the whole-digit scorer's probability and the shape
/// cost; for seeing why a number was misread (`numbers --failures DIR` writes misread ones).
func printCandidates(_ path: String) throws {
    let reader = NumberReader(classifier: try BundledModel.load().classifier, wholeDigitScorer: try BundledModel.wholeDigitScorer())
    for stretch in try reader.prepare(try decodePNG(file: path)).flatMap({ $0 }) {
        print("stretch with cuts at columns \(stretch.cuts.map { $0.runs.map(\.x) })")
        for candidate in stretch.candidates {
            let pixels = normalisedPixels(candidate.input.pixels)
            let digits = reader.classifier.probabilities(pixels, count: 1)
            let whole = reader.wholeDigitScorer!.probabilities(pixels, count: 1)[1]
            let digit = indexOfLargest(digits, row: 0, classes: digits.count)
            print(String(format: "  %@ box %@: %d (%.3f), whole %.3f, shape cost %.2f", "\(candidate.span)", "\(candidate.box)",
                         digit, digits[digit], whole, candidate.shapeCost))
        }
    }
}
