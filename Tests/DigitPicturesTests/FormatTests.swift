@testable import DigitPictures
import DigitPictures
import Testing

@Suite struct FormatTests {
    @Test func fixedDecimals() {
        #expect(NumberText.fixed(0.125, decimals: 2) == "0.13")
        #expect(NumberText.fixed(-0.125, decimals: 2) == "-0.13")
        #expect(NumberText.fixed(1.05, decimals: 0) == "1")
        #expect(NumberText.fixed(0.9, decimals: 1) == "0.9")
        #expect(NumberText.fixed(12, decimals: 3) == "12.000")
        #expect(NumberText.fixed(0.007, decimals: 2) == "0.01")
        #expect(NumberText.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberText.fixed(.nan, decimals: 2) == "nan")
        #expect(NumberText.fixed(-.infinity, decimals: 2) == "-inf")
    }

    @Test func percentages() {
        #expect(NumberText.percent(0.998, decimals: 1) == "99.8%")
        #expect(NumberText.percent(0.97) == "97%")
        #expect(NumberText.percent(1) == "100%")
        #expect(NumberText.percent(.nan) == "?%")
    }

    @Test func niceTicks() {
        let t = AxisTicks(low: 0.81, high: 0.993)
        #expect(t.lower <= 0.81 && t.upper >= 0.993)
        #expect(t.step == 0.05)
        #expect(t.values.map(t.label) == ["0.80", "0.85", "0.90", "0.95", "1.00"])
        let loss = AxisTicks(low: 0.05, high: 2.3)
        #expect(loss.values.first == 0 && loss.values.last == 2.5)
        #expect(loss.label(1.5) == "1.5")
        let flat = AxisTicks(low: 0.4, high: 0.4)
        #expect(flat.lower < 0.4 && flat.upper > 0.4)
        let bad = AxisTicks(low: .nan, high: 3)
        #expect(bad.lower == 0 && bad.upper == 1)
    }
}
