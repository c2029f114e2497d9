import DigitImage
@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct WeightTilesTests {
    /// The colour of weight (`tx`, `ty`) of tile `k`.
    func colour(_ image: RGBImage, _ layout: TileLayout, tile k: Int, x tx: Int, y ty: Int) -> RGB {
        let r = layout.tileRect(k)
        return image[r.x + tx * layout.scale + layout.scale / 2, r.y + ty * layout.scale + layout.scale / 2]
    }

    @Test func zeroIsWhiteNegativeBluePositiveRed() {
        // Four 3 x 2 tiles, tile-major: zeros, all negative, all positive, mixed.
        let weights: [Float] = [0, 0, 0, 0, 0, 0,
                                -0.3, -0.3, -0.1, -0.3, -0.3, -0.3,
                                0.2, 0.1, 0.2, 0.2, 0.2, 0.2,
                                -1, 0, 0.5, 1, -0.25, 0]
        let image = weightTiles(weights, tileWidth: 3, tileHeight: 2, count: 4, layout: .tileMajor, scale: 4)
        let layout = weightTilesLayout(tileWidth: 3, tileHeight: 2, count: 4, scale: 4)
        for i in 0..<6 {
            #expect(colour(image, layout, tile: 0, x: i % 3, y: i / 3) == .white)
            let blue = colour(image, layout, tile: 1, x: i % 3, y: i / 3)
            #expect(Int(blue.b) > Int(blue.r) + 40 && blue.b > 150, "negative is blue-ish, got \(blue)")
            let red = colour(image, layout, tile: 2, x: i % 3, y: i / 3)
            #expect(Int(red.r) > Int(red.b) + 40 && red.r > 150, "positive is red-ish, got \(red)")
        }
        // Per-tile scale: each tile's largest |w| takes the full colour.
        #expect(colour(image, layout, tile: 1, x: 0, y: 0) == Palette.negative)
        #expect(colour(image, layout, tile: 1, x: 2, y: 0) == Palette.diverging(-1.0 / 3))
        #expect(colour(image, layout, tile: 2, x: 0, y: 0) == Palette.positive)
        let mixed: [RGB] = [Palette.negative, .white, Palette.diverging(0.5), Palette.positive, Palette.diverging(-0.25), .white]
        for i in 0..<6 { #expect(colour(image, layout, tile: 3, x: i % 3, y: i / 3) == mixed[i]) }
        // Every pixel of a tile is one weight's colour: the whole block of a weight matches.
        let r = layout.tileRect(3)
        for dy in 0..<4 { for dx in 0..<4 { #expect(image[r.x + dx, r.y + dy] == Palette.negative) } }
    }

    @Test func globalScalingComparesTiles() {
        let weights: [Float] = [1, -1, 0.5, -0.5]  // two 2 x 1 tiles
        let perTile = weightTiles(weights, tileWidth: 2, tileHeight: 1, count: 2, layout: .tileMajor, scale: 2)
        let global = weightTiles(weights, tileWidth: 2, tileHeight: 1, count: 2, layout: .tileMajor, scaling: .global, scale: 2)
        let layout = weightTilesLayout(tileWidth: 2, tileHeight: 1, count: 2, scale: 2)
        #expect(colour(perTile, layout, tile: 1, x: 0, y: 0) == Palette.positive)
        #expect(colour(global, layout, tile: 1, x: 0, y: 0) == Palette.diverging(0.5))
        #expect(colour(global, layout, tile: 1, x: 1, y: 0) == Palette.diverging(-0.5))
        #expect(colour(global, layout, tile: 0, x: 0, y: 0) == Palette.positive)
    }

    @Test func inputMajorMatchesTheDenseLayout() {
        // Dense [inputs x units] with 4 inputs (2 x 2 tiles) and 3 units: w = (k + 1) * (p - 1.5).
        let units = 3
        var weights = [Float](repeating: 0, count: 4 * units)
        for p in 0..<4 { for k in 0..<units { weights[p * units + k] = Float(k + 1) * (Float(p) - 1.5) } }
        let image = weightTiles(weights, tileWidth: 2, tileHeight: 2, count: 2, scaling: .global, scale: 3)
        let layout = weightTilesLayout(tileWidth: 2, tileHeight: 2, count: 2, scale: 3)
        let m = 2 * 1.5  // largest |w| among the two drawn tiles
        for k in 0..<2 {
            for p in 0..<4 {
                let w = Double(k + 1) * (Double(p) - 1.5)
                #expect(colour(image, layout, tile: k, x: p % 2, y: p / 2) == Palette.diverging(Double(Float(w) / Float(m))))
            }
        }
    }

    @Test func edgeCasesAndDeterminism() {
        let nanTile = weightTiles([.nan, 0, 0, 0], tileWidth: 2, tileHeight: 2, count: 1, layout: .tileMajor)
        let layout = weightTilesLayout(tileWidth: 2, tileHeight: 2, count: 1)
        #expect(colour(nanTile, layout, tile: 0, x: 0, y: 0) == RGB(128, 128, 128))
        #expect(colour(nanTile, layout, tile: 0, x: 1, y: 1) == .white)
        #expect(!inkPositions(nanTile, in: layout.colourBarRect).isEmpty)
        let w: [Float] = (0..<(28 * 28 * 8)).map { (i: Int) -> Float in Float((i * 7919) % 201 - 100) / 100 }
        #expect(weightTiles(w, tileWidth: 28, tileHeight: 28, count: 8) == weightTiles(w, tileWidth: 28, tileHeight: 28, count: 8))
        #expect(weightTilesLayout(tileWidth: 28, tileHeight: 28, count: 10).columns == 4)
    }
}
