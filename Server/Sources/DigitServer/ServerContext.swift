import DigitKit
import Foundation
import Hummingbird

/// The request context of every route: answers are encoded by `RecordResponseEncoder`, so a
/// reading's JSON is byte for byte the line `digit classify --json` or `digit read --json` prints.
package struct ServerContext: RequestContext {
    package var coreContext: CoreRequestContextStorage

    package init(source: Source) {
        coreContext = .init(source: source)
    }

    package var requestDecoder: JSONDecoder { JSONDecoder() }
    package var responseEncoder: RecordResponseEncoder { RecordResponseEncoder() }
}

/// Encodes a route's answer with `JSONLineEncoder` as `application/json`, one line and a line break.
package struct RecordResponseEncoder: ResponseEncoder {
    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let line = try JSONLineEncoder().encode(value) + "\n"
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: line)))
    }
}
