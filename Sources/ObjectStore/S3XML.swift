import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The few XML documents S3 answers with, read with Foundation's XML parser (libxml2): listings, errors and
/// multipart uploads. Elements are matched by local name, so S3's default namespace does not matter.
enum S3XML {
    /// One page of a ListObjectsV2 answer.
    struct ListPage {
        var objects: [(key: String, size: Int64, etag: String)] = []
        var nextToken: String?
    }

    /// Reads a ListObjectsV2 answer.
    static func listPage(_ data: Data) throws -> ListPage {
        let root = try document(data)
        var page = ListPage()
        for contents in children(root, "Contents") {
            guard let key = text(contents, "Key") else { continue }
            let size = text(contents, "Size").flatMap { Int64($0) } ?? 0
            page.objects.append((key, size, unquoted(text(contents, "ETag") ?? "")))
        }
        if text(root, "IsTruncated") == "true" { page.nextToken = text(root, "NextContinuationToken") }
        return page
    }

    /// The `Code` and `Message` of an `<Error>` document; nil when `data` is not one.
    static func error(_ data: Data) -> (code: String, message: String)? {
        guard let root = try? document(data), root.localName == "Error" else { return nil }
        return (text(root, "Code") ?? "", text(root, "Message") ?? "")
    }

    /// The `UploadId` of a CreateMultipartUpload answer.
    static func uploadID(_ data: Data) throws -> String {
        guard let id = text(try document(data), "UploadId"), !id.isEmpty else {
            throw S3Error(code: "MalformedResponse", message: "CreateMultipartUpload answered no UploadId.", status: 200)
        }
        return id
    }

    /// The CompleteMultipartUpload request body.
    static func completion(_ etags: [String]) -> Data {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\"\(escaped(etag))\"</ETag></Part>"
        }
        return Data((xml + "</CompleteMultipartUpload>").utf8)
    }

    /// An ETag without its surrounding quotes.
    static func unquoted(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }

    private static func document(_ data: Data) throws -> XMLElement {
        let document = try XMLDocument(data: data, options: [])
        guard let root = document.rootElement() else {
            throw S3Error(code: "MalformedResponse", message: "S3 answered an empty XML document.", status: 200)
        }
        return root
    }

    private static func children(_ element: XMLElement, _ name: String) -> [XMLElement] {
        (element.children ?? []).compactMap { $0 as? XMLElement }.filter { ($0.localName ?? $0.name) == name }
    }

    private static func text(_ element: XMLElement, _ name: String) -> String? {
        children(element, name).first?.stringValue
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
