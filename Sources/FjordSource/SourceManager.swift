/// The set of files read in one run. Files are added while loading and read while rendering.
public struct SourceManager: Sendable {
    public private(set) var files: [SourceFile] = []

    public init() {}

    /// Adds a file and returns it with its new id.
    @discardableResult
    public mutating func add(path: String, bytes: [UInt8]) -> SourceFile {
        let file = SourceFile(id: FileID(UInt32(files.count)), path: path, bytes: bytes)
        files.append(file)
        return file
    }

    public subscript(id: FileID) -> SourceFile? {
        id.raw < files.count ? files[Int(id.raw)] : nil
    }

    public func path(of id: FileID) -> String {
        self[id]?.path ?? "<unknown>"
    }
}
