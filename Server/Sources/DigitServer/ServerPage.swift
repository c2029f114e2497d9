import Foundation

/// The drawing page (`Resources/index.html`): HTML, CSS and script in one file that fetches
/// nothing from elsewhere, so it works offline.
package enum ServerPage {
    /// The page's text; throws `ServerPageError` when the build lost the resource.
    package static func load() throws -> String {
        guard let url = Bundle.module.url(forResource: "index", withExtension: "html"),
              let page = try? String(contentsOf: url, encoding: .utf8) else {
            throw ServerPageError()
        }
        return page
    }
}

/// The page resource is missing from the build.
public struct ServerPageError: Error, CustomStringConvertible {
    public var description: String { "index.html: the server's page is missing from this build" }
}
