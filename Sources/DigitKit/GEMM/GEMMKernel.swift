/// The register-blocked 6x16 micro-kernel behind `gemm`.
///
/// A 6-row x 16-column tile of C lives in twelve `SIMD8<Float>` locals (locals, not an
/// array: the compiler keeps them in AVX registers; an array of SIMD8 ran 4x slower).
/// Each step of K broadcasts six values of A and multiply-adds them with two 8-wide
/// vectors of B. Rows past M are read from a zero-padded copy so the ragged last tile
/// still runs the vector path.
enum GEMMKernel {
    static let tileHeight = 6
    static let panelWidth = 16
    /// Multiply-adds above which a product is split over two threads: below this the
    /// dispatch costs about as much as the work saves.
    static let parallelThreshold = 1 << 21

    struct Job {
        let a: MatrixView
        let b: PanelledB
        let k: Int
        let m: Int
        let n: Int
        let alpha: Float
        let beta: Float
        let c: UnsafeMutablePointer<Float>
        let ldc: Int

        func run(tiles: Range<Int>, panels: Range<Int>) {
            guard !tiles.isEmpty, !panels.isEmpty else { return }
            // Scratch for the ragged last tile's rows of A (zero-padded, K x 6 packed).
            let ragged = m % tileHeight != 0 && tiles.upperBound * tileHeight > m
            let padded: UnsafeMutablePointer<Float>? = ragged ? packTail() : nil
            defer { padded?.deallocate() }
            for tile in tiles {
                let i0 = tile * tileHeight
                let rows = min(tileHeight, m - i0)
                for panel in panels {
                    let (bBase, bStride) = b.base(panel: panel, k: k)
                    let j0 = panel * panelWidth
                    let columns = min(panelWidth, n - j0)
                    if rows == tileHeight {
                        let aBase = a.base + i0 * a.rowStride
                        microKernel(a: aBase, rowStride: a.rowStride, columnStride: a.columnStride,
                                    b: bBase, bStride: bStride, rows: rows, columns: columns, i0: i0, j0: j0)
                    } else {
                        microKernel(a: UnsafePointer(padded!), rowStride: 1, columnStride: tileHeight,
                                    b: bBase, bStride: bStride, rows: rows, columns: columns, i0: i0, j0: j0)
                    }
                }
            }
        }

        /// The last, partial tile's rows of op(A), as K x 6 with zero rows appended.
        private func packTail() -> UnsafeMutablePointer<Float> {
            let i0 = (m / tileHeight) * tileHeight
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: k * tileHeight)
            buffer.initialize(repeating: 0, count: k * tileHeight)
            for r in 0..<(m - i0) {
                for p in 0..<k {
                    buffer[p * tileHeight + r] = a.base[(i0 + r) * a.rowStride + p * a.columnStride]
                }
            }
            return buffer
        }

        @inline(__always)
        private func microKernel(a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                                 b: UnsafePointer<Float>, bStride: Int,
                                 rows: Int, columns: Int, i0: Int, j0: Int) {
            var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
            var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
            var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
            var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
            var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
            var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
            var aColumn = a
            var bRow = b
            for _ in 0..<k {
                let b0 = UnsafeRawPointer(bRow).loadUnaligned(as: SIMD8<Float>.self)
                let b1 = UnsafeRawPointer(bRow + 8).loadUnaligned(as: SIMD8<Float>.self)
                var v = SIMD8<Float>(repeating: aColumn[0])
                c00.addProduct(v, b0); c01.addProduct(v, b1)
                v = SIMD8<Float>(repeating: aColumn[rs])
                c10.addProduct(v, b0); c11.addProduct(v, b1)
                v = SIMD8<Float>(repeating: aColumn[2 * rs])
                c20.addProduct(v, b0); c21.addProduct(v, b1)
                v = SIMD8<Float>(repeating: aColumn[3 * rs])
                c30.addProduct(v, b0); c31.addProduct(v, b1)
                v = SIMD8<Float>(repeating: aColumn[4 * rs])
                c40.addProduct(v, b0); c41.addProduct(v, b1)
                v = SIMD8<Float>(repeating: aColumn[5 * rs])
                c50.addProduct(v, b0); c51.addProduct(v, b1)
                aColumn += cs
                bRow += bStride
            }
            store(c00, c01, row: i0, j0: j0, columns: columns)
            if rows > 1 { store(c10, c11, row: i0 + 1, j0: j0, columns: columns) }
            if rows > 2 { store(c20, c21, row: i0 + 2, j0: j0, columns: columns) }
            if rows > 3 { store(c30, c31, row: i0 + 3, j0: j0, columns: columns) }
            if rows > 4 { store(c40, c41, row: i0 + 4, j0: j0, columns: columns) }
            if rows > 5 { store(c50, c51, row: i0 + 5, j0: j0, columns: columns) }
        }

        @inline(__always)
        private func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, row: Int, j0: Int, columns: Int) {
            let target = c + row * ldc + j0
            let scaledLow = low * alpha, scaledHigh = high * alpha
            if columns == panelWidth {
                let raw = UnsafeMutableRawPointer(target)
                if beta == 0 {
                    raw.storeBytes(of: scaledLow, as: SIMD8<Float>.self)
                    (raw + 32).storeBytes(of: scaledHigh, as: SIMD8<Float>.self)
                } else {
                    let oldLow = raw.loadUnaligned(as: SIMD8<Float>.self)
                    let oldHigh = (raw + 32).loadUnaligned(as: SIMD8<Float>.self)
                    raw.storeBytes(of: scaledLow + beta * oldLow, as: SIMD8<Float>.self)
                    (raw + 32).storeBytes(of: scaledHigh + beta * oldHigh, as: SIMD8<Float>.self)
                }
                return
            }
            for j in 0..<columns {
                let value = j < 8 ? scaledLow[j] : scaledHigh[j - 8]
                target[j] = beta == 0 ? value : value + beta * target[j]
            }
        }
    }
}
