/// Why a table image was refused: truncated, corrupted, of another major version, or
/// structurally invalid. The proxy keeps serving its last good table when loading throws.
///
/// A struct over a private enum, so new reasons can be added without breaking clients.
public struct TableImageError: Error, Hashable, Sendable, CustomStringConvertible {
    enum Reason: Hashable, Sendable {
        case truncated(needed: Int, available: Int)
        case badMagic
        case unsupportedVersion(major: UInt16, minor: UInt16)
        case lengthMismatch(declared: UInt64, actual: Int)
        case checksumMismatch(stored: UInt32, computed: UInt32)
        case unsupportedFlags(UInt32)
        case badSection(String)
        case missingSection(String)
        case invalid(String)
    }

    let reason: Reason
    /// The byte offset in the image where the problem is, when there is one.
    public let offset: Int?

    init(_ reason: Reason, at offset: Int? = nil) {
        self.reason = reason
        self.offset = offset
    }

    static func invalid(_ message: String, at offset: Int? = nil) -> TableImageError {
        TableImageError(.invalid(message), at: offset)
    }

    /// A lowercase message without a trailing period, with the offset when known.
    public var message: String {
        switch reason {
        case .truncated(let needed, let available):
            return "truncated table image: needs \(needed) bytes, has \(available)"
        case .badMagic:
            return "not a table image: the first bytes are not `FJTB`"
        case .unsupportedVersion(let major, let minor):
            return
                "unsupported table image version \(major).\(minor): this reader understands major version \(TableImageFormat.majorVersion)"
        case .lengthMismatch(let declared, let actual):
            return "table image length mismatch: the header says \(declared) bytes, the image has \(actual)"
        case .checksumMismatch(let stored, let computed):
            return "table image checksum mismatch: stored \(hex(stored)), computed \(hex(computed))"
        case .unsupportedFlags(let flags):
            return "table image uses unsupported flags \(hex(flags))"
        case .badSection(let s):
            return "bad section table: \(s)"
        case .missingSection(let name):
            return "table image lacks the \(name) section"
        case .invalid(let s):
            return "invalid table image: \(s)"
        }
    }

    public var description: String {
        if let offset { return "\(message) (at byte \(offset))" }
        return message
    }

    /// Whether the image was refused for its checksum (a corrupted file), as opposed to its
    /// structure.
    public var isChecksumMismatch: Bool {
        if case .checksumMismatch = reason { return true }
        return false
    }
}

func hex(_ v: UInt32) -> String {
    let digits = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
