import DigitKit
import Foundation
import Testing

/// `JSONLineEncoder`: fields in the order encoded, strings escaped exactly as JSONEncoder does.
struct JSONLineEncoderTests {
    private struct Ordered: Encodable {
        let zebra = 1
        let apple: Int? = nil
        let middle = [0.5, 1.0, 1e-07] as [Float]
        let nested = ["b": false]

        enum CodingKeys: String, CodingKey { case zebra, apple, middle, nested }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(zebra, forKey: .zebra)
            try container.encode(apple, forKey: .apple)
            try container.encode(middle, forKey: .middle)
            try container.encode(nested, forKey: .nested)
        }
    }

    @Test func keysStayInTheOrderEncodedAndNumbersAreShortest() throws {
        #expect(try JSONLineEncoder().encode(Ordered()) == #"{"zebra":1,"apple":null,"middle":[0.5,1.0,1e-07],"nested":{"b":false}}"#)
    }

    @Test func everyStringIsEscapedAsJSONEncoderEscapesIt() throws {
        let text = String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }) + "é/€\u{2028}😀"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode([text]), as: UTF8.self)
        #expect(try JSONLineEncoder().encode([text]) == expected)
    }

    @Test func aNumberJSONCannotHoldIsAnError() {
        #expect(throws: EncodingError.self) { try JSONLineEncoder().encode([Float.nan]) }
        #expect(throws: EncodingError.self) { try JSONLineEncoder().encode(["x": Double.infinity]) }
    }

    @Test func aClassificationRecordReadsBackAsItWasWritten() throws {
        let picture = try GrayImage(pictureData: Array(Data(contentsOf: URL(fileURLWithPath: CoreSupport.packageRoot + "/samples/3-chalk.png"))))
        let prediction = try DigitReader().classify(picture)
        let record = ClassificationRecord(prediction, file: "a/b \"c\".png", minimumConfidence: 1.1)
        let line = try JSONLineEncoder().encode(record)
        #expect(line.hasPrefix(#"{"file":"a/b \"c\".png","digit":null,"best_guess":3,"confidence":"#))
        #expect(try JSONDecoder().decode(ClassificationRecord.self, from: Data(line.utf8)) == record)
    }
}
