import DigitImage

extension DigitPreprocessor {
    /// One 8-connected blob of ink.
    struct InkComponent {
        var pixelCount: Int
        /// Summed ink strength (gray levels × pixels).
        var mass: Float
        var box: PixelRect
        /// Its pixels on the picture's outermost rows and columns.
        var edgePixels = 0
    }

    /// Labels the 8-connected components of mask value 1. Returns a label plane (-1 for non-ink,
    /// otherwise an index into the component list) and the components' sizes, masses (summed
    /// `strength`, 0 without one) and boxes.
    static func labelComponents(mask: Plane<UInt8>, strength: Plane<Float>? = nil)
        -> (labels: Plane<Int32>, components: [InkComponent]) {
        let width = mask.width
        let height = mask.height
        var labels = [Int32](repeating: -1, count: mask.values.count)
        var components: [InkComponent] = []
        var stack: [Int] = []
        for seed in 0..<mask.values.count where mask.values[seed] == 1 && labels[seed] < 0 {
            let label = Int32(components.count)
            var component = InkComponent(pixelCount: 0, mass: 0,
                                         box: PixelRect(x: seed % width, y: seed / width, lastX: seed % width, lastY: seed / width))
            labels[seed] = label
            stack.append(seed)
            while let index = stack.popLast() {
                let x = index % width
                let y = index / width
                component.pixelCount += 1
                component.mass += strength?.values[index] ?? 0
                component.box = component.box.union(PixelRect(x: x, y: y, lastX: x, lastY: y))
                if x == 0 || y == 0 || x == width - 1 || y == height - 1 { component.edgePixels += 1 }
                for ny in max(y - 1, 0)...min(y + 1, height - 1) {
                    for nx in max(x - 1, 0)...min(x + 1, width - 1) {
                        let neighbour = ny * width + nx
                        if mask.values[neighbour] == 1 && labels[neighbour] < 0 {
                            labels[neighbour] = label
                            stack.append(neighbour)
                        }
                    }
                }
            }
            components.append(component)
        }
        return (Plane(width: width, height: height, values: labels), components)
    }

    /// Chooses the components that make up the digit in a `frameWidth` x `frameHeight` picture.
    ///
    /// The main component is the one with the most ink, except that components reaching two
    /// opposite edges of the picture (shadows, paper or table edges, bent rules) give way to the
    /// heaviest other component if it has at least `substantialFraction` of their ink: a digit
    /// rarely spans its frame unless it is all there is. Then, repeatedly, any other component
    /// within `nearness` × the longer side of the digit's growing box joins it (a broken stroke);
    /// those with less than `dustFraction` of the main one's ink are specks. Frame-spanning
    /// components join only in a tight crop of the digit (a form's box, a scan cut to its ink),
    /// whose own strokes reach the edges: when the heaviest component touches all four edges,
    /// or three with the rest of the ink reaching the fourth (a shadow or a paper's edge
    /// crosses the frame or runs along one side, touching two or three, while the digit stays
    /// clear of the far edge), unless that component runs along half of the frame's edge or
    /// more (a box printed around the digit). There the heaviest component is the main one.
    /// Returns indices into `components`, the main one first; empty if none.
    static func selectDigitComponents(_ components: [InkComponent], frameWidth: Int, frameHeight: Int,
                                      nearness: Double = 0.3, dustFraction: Float = 0.005,
                                      substantialFraction: Float = 0.1) -> [Int] {
        func spansFrame(_ index: Int) -> Bool {
            let box = components[index].box
            return (box.x == 0 && box.lastX == frameWidth - 1) || (box.y == 0 && box.lastY == frameHeight - 1)
        }
        let byMass = components.indices.sorted { components[$0].mass > components[$1].mass }
        guard let heaviest = byMass.first else { return [] }
        var main = byMass.first { !spansFrame($0) && components[$0].mass >= substantialFraction * components[heaviest].mass }
            ?? heaviest
        func edgesTouched(_ box: PixelRect) -> Int {
            [box.x == 0, box.y == 0, box.lastX == frameWidth - 1, box.lastY == frameHeight - 1].filter { $0 }.count
        }
        let allInk = byMass.filter { components[$0].mass >= dustFraction * components[heaviest].mass }
            .map { components[$0].box }.reduce(components[heaviest].box) { $0.union($1) }
        let heaviestEdges = edgesTouched(components[heaviest].box)
        // A box printed around the digit (a form's outline) runs along most of the frame's edge;
        // a digit's strokes only touch it.
        let isOutline = 2 * components[heaviest].edgePixels >= 2 * (frameWidth + frameHeight) - 4
        let fillsFrame = !isOutline && (heaviestEdges == 4 || (heaviestEdges == 3 && edgesTouched(allInk) == 4))
        if fillsFrame { main = heaviest }
        let minimumMass = dustFraction * components[main].mass
        var chosen = [main]
        var box = components[main].box
        var candidates = byMass.filter {
            $0 != main && components[$0].mass >= minimumMass && (fillsFrame || !spansFrame($0))
        }
        var grew = true
        while grew {
            grew = false
            candidates.removeAll { index in
                let reach = Int((nearness * Double(box.longerSide)).rounded(.up))
                guard components[index].box.gap(to: box) <= reach else { return false }
                chosen.append(index)
                box = box.union(components[index].box)
                grew = true
                return true
            }
        }
        return chosen
    }

    /// The part of the picture to look in again if `component` is a sheet of paper rather than
    /// ink: a note photographed on a table, where the border is the table and the whole note
    /// stands out from it. A sheet is large (at least 20% of the picture) and solid (it fills at
    /// least 80% of its box, while strokes leave most of theirs empty). Returns its box inset by
    /// 3% on each side, clear of its edges, or nil.
    static func paperRegion(_ component: InkComponent, frameWidth: Int, frameHeight: Int) -> PixelRect? {
        let box = component.box
        let boxArea = box.width * box.height
        guard component.pixelCount * 5 >= frameWidth * frameHeight, component.pixelCount * 5 >= boxArea * 4 else {
            return nil
        }
        let insetX = max(1, box.width * 3 / 100)
        let insetY = max(1, box.height * 3 / 100)
        guard box.width > 2 * insetX + 8, box.height > 2 * insetY + 8 else { return nil }
        return PixelRect(x: box.x + insetX, y: box.y + insetY, lastX: box.lastX - insetX, lastY: box.lastY - insetY)
    }

    /// The digit's own ink: `strength` on the chosen components' pixels and the pixels bordering
    /// them (their anti-aliased edges), 0 elsewhere, so specks and other marks inside the digit's
    /// box (the chosen components' union) do not get drawn. Pixels flagged in `excluded` (erased
    /// rule lines) stay 0.
    static func digitStrength(strength: Plane<Float>, labels: Plane<Int32>, chosen: [Int], box: PixelRect,
                              excluded: Plane<UInt8>) -> Plane<Float> {
        var isChosen = [Bool](repeating: false, count: (chosen.max() ?? -1) + 1)
        for index in chosen { isChosen[index] = true }
        let width = labels.width
        let height = labels.height
        var result = [Float](repeating: 0, count: strength.values.count)
        labels.values.withUnsafeBufferPointer { labels in
            for y in max(box.y - 1, 0)...min(box.lastY + 1, height - 1) {
                for x in max(box.x - 1, 0)...min(box.lastX + 1, width - 1) where excluded.values[y * width + x] == 0 {
                    var near = false
                    for ny in max(y - 1, 0)...min(y + 1, height - 1) where !near {
                        for nx in max(x - 1, 0)...min(x + 1, width - 1) {
                            let label = Int(labels[ny * width + nx])
                            if label >= 0 && label < isChosen.count && isChosen[label] { near = true; break }
                        }
                    }
                    if near { result[y * width + x] = strength.values[y * width + x] }
                }
            }
        }
        return Plane(width: width, height: height, values: result)
    }
}
