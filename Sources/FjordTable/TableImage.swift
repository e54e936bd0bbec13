/// A validated binary table image: what the proxy loads and executes.
///
/// `TableImage.write(_:)` serialises a `TableProgram`; `init(bytes:)` checks everything (header,
/// checksum, section bounds, every index, offset, count and string) before the image is used,
/// so lookups afterwards read without checks and cannot crash on a corrupted file. The byte
/// layout is in `grammar/table-format.md`, an overview in `docs/table-format.md`.
public struct TableImage: Sendable {
    @usableFromInline let storage: ImageStorage
    @usableFromInline let sections: Sections
    /// Header and query parameter names by global attribute index (`""` for other kinds),
    /// materialised once so lookup hands them to `TableRequest.header` without allocating.
    @usableFromInline let attributeNames: [String]
    let programStringCount: Int
    /// The image's minor format version (the major is always `TableImageFormat.majorVersion`).
    public let minorVersion: UInt16

    /// Serialises a program into a checksummed image (`grammar/table-format.md`).
    ///
    /// Strings of actions, rules and metadata join the program's string pool after the
    /// program's own strings; `program` returns only the latter. A program whose indexes are
    /// out of range still serialises, but `init(bytes:)` refuses the result.
    public static func write(_ program: TableProgram) -> [UInt8] {
        var w = ImageWriter(program)
        return w.finish()
    }

    /// Loads and validates an image. Throws on anything truncated, corrupted, of another major
    /// version or structurally invalid; never traps and allocates at most in proportion to
    /// `bytes.count`.
    public init(bytes: [UInt8]) throws(TableImageError) {
        let storage = ImageStorage(bytes)
        var v = Validator(raw: storage.raw, length: storage.count)
        try v.validate()
        self.storage = storage
        self.sections = v.sections
        self.attributeNames = v.attributeNames
        self.programStringCount = v.programStringCount
        self.minorVersion = v.minorVersion
    }

    /// Writes and reloads a program: an image known to be valid.
    public init(program: TableProgram) throws(TableImageError) {
        try self.init(bytes: TableImage.write(program))
    }

    /// The image's bytes.
    public var bytes: [UInt8] {
        Array(UnsafeRawBufferPointer(start: storage.raw.base, count: storage.count))
    }
}

/// The image's bytes, copied into memory aligned for its records and immutable afterwards.
///
/// `@unchecked Sendable`: the bytes sit behind a raw pointer, which the compiler cannot see is
/// never written after `init`; every property is a `let`.
@usableFromInline
final class ImageStorage: @unchecked Sendable {
    @usableFromInline let raw: RawImage
    let count: Int

    init(_ bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { b in
            if let src = b.baseAddress { p.copyMemory(from: src, byteCount: b.count) }
        }
        raw = RawImage(base: UnsafeRawPointer(p))
        count = bytes.count
    }

    deinit { UnsafeMutableRawPointer(mutating: raw.base).deallocate() }
}

/// Unchecked little-endian reads at byte offsets. Every offset read after validation lies in a
/// section that validation bounded.
///
/// `@unchecked Sendable`: `UnsafeRawPointer` is not `Sendable`, though the memory it points at
/// (an `ImageStorage`'s) is immutable and lives as long as the image that holds both.
@usableFromInline
struct RawImage: @unchecked Sendable {
    @usableFromInline let base: UnsafeRawPointer

    @inlinable @inline(__always) func u8(_ o: Int) -> UInt8 { base.load(fromByteOffset: o, as: UInt8.self) }
    @inlinable @inline(__always) func u16(_ o: Int) -> UInt16 {
        UInt16(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }
    @inlinable @inline(__always) func u32(_ o: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt32.self))
    }
    @inlinable @inline(__always) func u64(_ o: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt64.self))
    }
    @inlinable @inline(__always) func i64(_ o: Int) -> Int { Int(Int64(bitPattern: u64(o))) }
    @inlinable @inline(__always) func f64(_ o: Int) -> Double { Double(bitPattern: u64(o)) }
    @inlinable @inline(__always) func bytes(_ o: Int, _ n: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + o, count: n)
    }
}

/// Where one section's records are: byte offset, stride (record size) and record count.
@usableFromInline
struct SectionRef: Sendable {
    @usableFromInline var offset = 0
    @usableFromInline var stride = 0
    @usableFromInline var count = 0

    /// The byte offset of record `i`.
    @inlinable @inline(__always) func at(_ i: Int) -> Int { offset &+ i &* stride }
}

/// Every known section of a validated image.
@usableFromInline
struct Sections: Sendable {
    @usableFromInline var refs: [SectionRef] = Array(repeating: SectionRef(), count: 35)

    @inlinable subscript(_ kind: SectionKindIndex) -> SectionRef {
        get { refs.withUnsafeBufferPointer { $0[kind.raw] } }
        set { refs[kind.raw] = newValue }
    }
}

/// A section kind as a plain index (usable from inlinable code).
@usableFromInline
struct SectionKindIndex: Sendable {
    @usableFromInline let raw: Int
    @inlinable init(raw: Int) { self.raw = raw }
    init(_ k: SectionKind) { raw = Int(k.rawValue) }
}

extension SectionKind {
    var index: SectionKindIndex { SectionKindIndex(self) }
}
