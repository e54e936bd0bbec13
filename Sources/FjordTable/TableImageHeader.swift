/// The checks a table image file passes before more than its header is read: a reader looks at
/// the file's size and its first `TableImage.headerByteCount` bytes, and only then reads (and
/// allocates for) the rest. `init(bytes:)` validates everything again.
extension TableImage {
    /// The default limit on a table image file (`--max-table-bytes`): 64 MiB. A 10,000-route
    /// image is about 1 MB (docs/performance.md).
    public static let defaultMaxBytes = 64 << 20

    /// How many bytes `checkHeader` needs.
    public static let headerByteCount = TableImageFormat.headerSize

    /// Checks an image file's fixed header before the rest is read: the file is at most
    /// `maxBytes` long, starts with the magic and the supported major version, and declares
    /// exactly `fileLength` bytes. `header` holds the file's first bytes (at most
    /// `headerByteCount` are read). Throws the same errors as `init(bytes:)`, plus one for a
    /// file over the limit.
    public static func checkHeader(_ header: [UInt8], fileLength: Int, maxBytes: Int) throws(TableImageError) {
        if fileLength > maxBytes {
            throw TableImageError.invalid(
                "the file is \(fileLength) bytes, over the limit of \(maxBytes) bytes (--max-table-bytes)")
        }
        let h = TableImageFormat.headerSize
        guard header.count >= h, fileLength >= h else {
            throw TableImageError(.truncated(needed: h, available: min(header.count, fileLength)))
        }
        guard header.starts(with: TableImageFormat.magic) else { throw TableImageError(.badMagic, at: 0) }
        func u16(_ o: Int) -> UInt16 { UInt16(header[o]) | UInt16(header[o + 1]) << 8 }
        let major = u16(Layout.Header.majorVersion.offset)
        guard major == TableImageFormat.majorVersion else {
            throw TableImageError(
                .unsupportedVersion(major: major, minor: u16(Layout.Header.minorVersion.offset)),
                at: Layout.Header.majorVersion.offset)
        }
        var declared: UInt64 = 0
        for k in 0..<8 { declared |= UInt64(header[Layout.Header.totalLength.offset + k]) << UInt64(8 * k) }
        if declared > UInt64(fileLength) {
            throw TableImageError(
                .truncated(needed: declared > UInt64(Int.max) ? Int.max : Int(declared), available: fileLength))
        }
        guard declared == UInt64(fileLength) else {
            throw TableImageError(
                .lengthMismatch(declared: declared, actual: fileLength), at: Layout.Header.totalLength.offset)
        }
    }
}

extension TableImage {
    /// `bytes` with the header's length and checksum fields set to match them (when there is a
    /// header): the fuzz target uses it so that mutated images get past the checksum.
    public static func sealed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= TableImageFormat.headerSize else { return bytes }
        var out = bytes
        let length = UInt64(out.count)
        for k in 0..<8 { out[Layout.Header.totalLength.offset + k] = UInt8(truncatingIfNeeded: length >> (8 * k)) }
        let sum = out.withUnsafeBytes { CRC32C.imageChecksum($0) }
        for k in 0..<4 { out[Layout.Header.checksum.offset + k] = UInt8(truncatingIfNeeded: sum >> (8 * k)) }
        return out
    }

    /// The scope at `index` (0 ..< `scopeCount`), for tools that visit every scope.
    public func scopeHandle(at index: Int) -> ScopeHandle {
        precondition(index >= 0 && index < scopeCount, "scope index out of range")
        return ScopeHandle(index: index)
    }
}
