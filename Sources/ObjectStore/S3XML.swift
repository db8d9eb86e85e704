import Foundation

/// The few XML documents S3 answers with (listings, errors, multipart uploads), read by a small scanner of their
/// elements: S3's answers are flat, unprefixed documents of text elements. (Foundation's XML classes wrap libxml2,
/// which crashed here when jobs parsed answers on several threads at once.)
enum S3XML {
    /// One page of a ListObjectsV2 answer.
    struct ListPage {
        var objects: [(key: String, size: Int64, etag: String)] = []
        var nextToken: String?
    }

    /// Reads a ListObjectsV2 answer.
    static func listPage(_ data: Data) throws -> ListPage {
        let document = try text(of: data, root: "ListBucketResult")
        var page = ListPage()
        for contents in elements("Contents", in: document) {
            guard let key = text("Key", in: contents) else { continue }
            let size = text("Size", in: contents).flatMap { Int64($0) } ?? 0
            page.objects.append((key, size, unquoted(text("ETag", in: contents) ?? "")))
        }
        if text("IsTruncated", in: document) == "true" { page.nextToken = text("NextContinuationToken", in: document) }
        return page
    }

    /// The `Code` and `Message` of an `<Error>` document; nil when `data` is not one.
    static func error(_ data: Data) -> (code: String, message: String)? {
        guard let document = try? text(of: data, root: "Error") else { return nil }
        return (text("Code", in: document) ?? "", text("Message", in: document) ?? "")
    }

    /// The `UploadId` of a CreateMultipartUpload answer.
    static func uploadID(_ data: Data) throws -> String {
        guard let id = text("UploadId", in: try text(of: data, root: "InitiateMultipartUploadResult")), !id.isEmpty
        else {
            throw S3Error(
                code: "MalformedResponse", message: "CreateMultipartUpload answered no UploadId.", status: 200)
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

    /// The content of the document's root element, which must be called `root`.
    private static func text(of data: Data, root: String) throws -> Substring {
        let text = String(decoding: data, as: UTF8.self)
        guard let content = elements(root, in: text[...]).first else {
            throw S3Error(code: "MalformedResponse", message: "S3 answered no <\(root)> document.", status: 200)
        }
        return content
    }

    /// The contents of the elements called `name` in `text`, in order (elements of one name do not nest in S3's
    /// answers); an empty element (`<name/>`) has empty content.
    static func elements(_ name: String, in text: Substring) -> [Substring] {
        var found: [Substring] = []
        var rest = text
        while let open = rest.range(of: "<" + name) {
            let afterName = rest[open.upperBound...]
            guard let next = afterName.first, next == ">" || next == " " || next == "/" || next == "\n" || next == "\t",
                let close = afterName.firstIndex(of: ">")
            else {
                rest = afterName
                continue
            }
            if close > afterName.startIndex, afterName[afterName.index(before: close)] == "/" {
                found.append(afterName[close..<close])
                rest = afterName[afterName.index(after: close)...]
                continue
            }
            let content = afterName[afterName.index(after: close)...]
            guard let end = content.range(of: "</" + name + ">") else { break }
            found.append(content[..<end.lowerBound])
            rest = content[end.upperBound...]
        }
        return found
    }

    /// The text of the first element called `name` in `text`, its entities decoded; nil when there is none.
    static func text(_ name: String, in text: Substring) -> String? {
        elements(name, in: text).first.map(unescaped)
    }

    /// `text` with XML's character references and the five predefined entities decoded.
    static func unescaped(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var rest = text
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";"),
                rest.distance(from: ampersand, to: semicolon) <= 10
            else {
                result += "&"
                rest = rest[rest.index(after: ampersand)...]
                continue
            }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            if let value = named[String(entity)] {
                result += value
            } else if entity.hasPrefix("#x") || entity.hasPrefix("#X"),
                let code = UInt32(entity.dropFirst(2), radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                result.unicodeScalars.append(scalar)
            } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                result.unicodeScalars.append(scalar)
            } else {
                result += rest[ampersand...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
