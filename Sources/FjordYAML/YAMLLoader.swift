import CYAML
import FjordDiagnostics
import FjordSource

/// What loading one or more files produced: the documents, and which files failed.
///
/// A file fails when loading it reported an error (syntax, unknown alias, a limit). The documents
/// completed before the error are still in `documents`, but callers should treat the whole file
/// as unusable rather than check a partial set of resources.
public struct YAMLLoadResult: Sendable {
    /// The documents loaded, in file order, then document order.
    public var documents: [YAMLDocument]
    /// The files whose loading stopped at an error, in load order.
    public var failedFiles: [FileID]

    public init(documents: [YAMLDocument] = [], failedFiles: [FileID] = []) {
        self.documents = documents
        self.failedFiles = failedFiles
    }

    /// Whether any file failed.
    public var failed: Bool { !failedFiles.isEmpty }
}

/// Loads YAML streams into ``YAMLNode`` trees with a source range on every node.
///
/// Built on libyaml's event API. The tree is built with an explicit stack, so the nesting depth is
/// bounded by ``YAMLLimits/maxDepth`` and never by the call stack. On the first error in a file
/// (`FJ1001` syntax, `FJ1005` limit) loading of that file stops; the documents completed before
/// it are returned.
public enum YAMLLoader {
    /// Loads every document of `file`.
    ///
    /// An empty file, or one holding only comments, yields no documents and no diagnostic.
    /// Diagnostics: `FJ1001` for malformed YAML (including invalid UTF-8, control characters and
    /// UTF-16 input), `FJ1002` for a duplicated mapping key (a warning; both pairs are kept and the
    /// last wins), `FJ1005` when an input passes one of `limits`.
    public static func load(
        _ file: SourceFile, limits: YAMLLimits = .default, diagnostics: DiagnosticConsumer
    ) -> [YAMLDocument] {
        loadChecked(file, limits: limits, diagnostics: diagnostics).documents
    }

    /// Like ``load(_:limits:diagnostics:)``, and also says whether the file failed.
    public static func loadChecked(
        _ file: SourceFile, limits: YAMLLimits = .default, diagnostics: DiagnosticConsumer
    ) -> YAMLLoadResult {
        var builder = TreeBuilder(file: file, limits: limits, cursor: nil)
        builder.run()
        if builder.lineBreaksDiffer {
            // Rare: bare CR, NEL, LS or PS line breaks, which libyaml counts and SourceFile does
            // not. Load again, placing libyaml's character indexes through SourceFile instead.
            builder = TreeBuilder(file: file, limits: limits, cursor: CharacterCursor(file))
            builder.run()
        }
        for d in builder.diagnostics { diagnostics(d) }
        return YAMLLoadResult(documents: builder.documents, failedFiles: builder.failed ? [file.id] : [])
    }

    /// Adds each input to `sources` and loads it; returns all documents and the files that failed.
    public static func load(
        _ inputs: [InputFile], into sources: inout SourceManager, limits: YAMLLimits = .default,
        diagnostics: DiagnosticConsumer
    ) -> YAMLLoadResult {
        var result = YAMLLoadResult()
        for input in inputs {
            let file = sources.add(path: input.path, bytes: input.bytes)
            let one = loadChecked(file, limits: limits, diagnostics: diagnostics)
            result.documents.append(contentsOf: one.documents)
            result.failedFiles.append(contentsOf: one.failedFiles)
        }
        return result
    }

    /// Runs libyaml's event parser over `bytes` and counts the events, building nothing.
    ///
    /// The baseline for the loader's benchmark. Returns the events seen before an error, if any.
    public static func scanEvents(_ bytes: [UInt8]) -> Int {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer {
            parser.deallocate()
            event.deallocate()
        }
        guard yaml_parser_initialize(parser) != 0 else { return 0 }
        defer { yaml_parser_delete(parser) }
        var count = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            yaml_parser_set_input_string(parser, base, buffer.count)
            while yaml_parser_parse(parser, event) != 0 {
                count += 1
                let done = event.pointee.type == YAML_STREAM_END_EVENT
                yaml_event_delete(event)
                if done { break }
            }
        }
        return count
    }
}

// MARK: - Tree building

/// A collection being built: one entry of the builder's explicit stack.
///
/// Its children live in the shared ``ChildStack`` from `childStart` on (for a mapping: key, value,
/// key, value...), so that each collection gets one exactly sized array when it closes.
private struct Frame {
    var isMapping: Bool
    var isFlow: Bool
    /// The mapping key just pushed is a merge key (`<<`); its value is a merge source.
    var pendingKeyIsMerge = false
    var start: SourcePosition
    /// Where the last child (or, for a flow collection, the closing bracket) ends.
    var end: SourcePosition
    var childStart: Int
    /// Nodes in this subtree so far, the collection itself included (alias copies counted in full).
    var count = 1
    /// Nesting height of the subtree: 1 plus the tallest child collection.
    var height = 1
    var tag: String?
    var anchor: String?
    /// Merge sources (`<<`), one group per merge key, each group in precedence order.
    var mergeGroups: [[YAMLNode]] = []
}

/// The children of all open collections, concatenated, with a hash of each scalar mapping key.
///
/// Manually managed so that closing a collection moves its children into their final array
/// (one allocation, no reference-count traffic) instead of copying them. A non-copyable struct
/// rather than a class: class properties pay for dynamic exclusivity checks on every access.
private struct ChildStack: ~Copyable {
    private var base: UnsafeMutablePointer<YAMLNode>
    private var capacity: Int
    private(set) var count = 0
    /// Aligned with the nodes: for a scalar mapping key, a hash of its text (never 0); else 0.
    private var hashes: UnsafeMutablePointer<UInt64>

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
        hashes = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
        hashes.deallocate()
    }

    mutating func push(_ node: consuming YAMLNode, keyHash: UInt64) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<YAMLNode>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            let biggerHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2)
            biggerHashes.moveInitialize(from: hashes, count: count)
            hashes.deallocate()
            hashes = biggerHashes
            capacity *= 2
        }
        (base + count).initialize(to: node)
        hashes[count] = keyHash
        count += 1
    }

    mutating func popLast() -> YAMLNode {
        count -= 1
        return (base + count).move()
    }

    subscript(i: Int) -> YAMLNode { base[i] }

    func keyHash(_ i: Int) -> UInt64 { hashes[i] }

    /// Drops every node (between documents, or after an error).
    mutating func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    /// Moves the nodes from `start` on into a new array.
    mutating func takeSequence(from start: Int) -> [YAMLNode] {
        let n = count - start
        let base = self.base
        let items = [YAMLNode](unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0, let target = buffer.baseAddress {
                target.moveInitialize(from: base + start, count: n)
            }
            initialized = n
        }
        count = start
        return items
    }

    /// Moves the key/value nodes from `start` on into a new array of pairs.
    mutating func takePairs(from start: Int) -> [YAMLPair] {
        let n = (count - start) / 2
        let base = self.base
        let pairs = [YAMLPair](unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0, let target = buffer.baseAddress {
                for i in 0..<n {
                    let k = base + start + 2 * i
                    (target + i).initialize(to: YAMLPair(key: k.move(), value: (k + 1).move()))
                }
            }
            initialized = n
        }
        count = start
        return pairs
    }
}

/// Turns libyaml's character indexes into SourceFile's lines and columns, for files whose line
/// breaks libyaml and SourceFile count differently.
///
/// Walks from the last position asked for, so that the mostly increasing marks of a parse cost
/// linear time in all, even when the whole file is one SourceFile line.
private final class CharacterCursor {
    let file: SourceFile
    private var character = 0
    private var byte: Int
    private var line = 1
    private var column: Int

    init(_ file: SourceFile) {
        self.file = file
        let b = file.bytes
        // libyaml does not count a UTF-8 byte order mark as a character; SourceFile does.
        let bom = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
        byte = bom ? 3 : 0
        column = bom ? 2 : 1
    }

    func position(ofCharacter target: Int) -> SourcePosition {
        let bytes = file.bytes
        while character < target, byte < bytes.count {
            let b = bytes[byte]
            switch b {
            case 0xF0...0xF7: byte += 4
            case 0xE0...0xEF: byte += 3
            case 0xC0...0xDF: byte += 2
            default: byte += 1
            }
            character += 1
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        while character > target, byte > 0 {
            var previous = min(byte, bytes.count) - 1
            while previous > 0, bytes[previous] & 0xC0 == 0x80 { previous -= 1 }
            byte = previous
            character -= 1
            if bytes[previous] == 0x0A {
                line -= 1
                column = file.position(ofByte: previous).column
            } else {
                column -= 1
            }
        }
        return SourcePosition(line: line, column: max(1, column))
    }
}

/// An anchored node with what it costs to copy it.
private struct AnchorEntry {
    var node: YAMLNode
    var count: Int
    var height: Int
}

/// Thrown inside the builder to stop loading the file; the diagnostic is already recorded.
private struct StopLoading: Error {}

private let mergeTag = "tag:yaml.org,2002:merge"

private struct TreeBuilder: ~Copyable {
    let file: SourceFile
    let limits: YAMLLimits
    var diagnostics: [Diagnostic] = []
    var documents: [YAMLDocument] = []
    var failed = false

    private var frames: [Frame] = []
    private var children = ChildStack()
    private var anchors: [String: AnchorEntry] = [:]
    private var root: YAMLNode?
    private var documentStart = SourcePosition(line: 1, column: 1)
    private var documentNodes = 0
    /// Nodes of every document of the file so far (alias copies included).
    private var fileNodes = 0
    private var documentCount = 0
    /// Nodes added by alias copies in the whole file (a per-file budget, so that many small
    /// documents cannot add up to an alias bomb either).
    private var aliasExpansion = 0
    /// 1, or 2 when the file starts with a UTF-8 byte order mark: libyaml skips the mark without
    /// counting it, while SourceFile counts it as the first column of line 1.
    private let bomShift: Int
    /// When set, positions come from libyaml's character index, counted out again the way
    /// SourceFile counts lines and columns, instead of from libyaml's line and column.
    private let cursor: CharacterCursor?
    /// Set after `run()` when libyaml counted line breaks that SourceFile does not, so that its
    /// lines and columns cannot be used as they are.
    private(set) var lineBreaksDiffer = false

    init(file: SourceFile, limits: YAMLLimits, cursor: CharacterCursor?) {
        self.file = file
        self.limits = limits
        self.cursor = cursor
        let b = file.bytes
        bomShift = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 2 : 1
        frames.reserveCapacity(32)
    }

    // MARK: Driver

    mutating func run() {
        let bytes = file.bytes
        if bytes.count > limits.maxFileBytes {
            fail(
                .inputLimit, "file is \(bytes.count) bytes, over the limit of \(limits.maxFileBytes) bytes",
                at: point(SourcePosition(line: 1, column: 1)))
            return
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            fail(
                .yamlSyntax, "file is encoded as UTF-16; only UTF-8 is supported",
                at: point(SourcePosition(line: 1, column: 1)),
                notes: [Note("convert it, for example with `iconv -f UTF-16 -t UTF-8`")])
            return
        }
        guard !bytes.isEmpty else { return }

        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer {
            parser.deallocate()
            event.deallocate()
        }
        guard yaml_parser_initialize(parser) != 0 else {
            fail(
                .yamlSyntax, "out of memory while starting the YAML parser",
                at: point(SourcePosition(line: 1, column: 1)))
            return
        }
        defer { yaml_parser_delete(parser) }

        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // UTF-16 was refused above, so libyaml's encoding detection can only find UTF-8; it
            // skips a UTF-8 byte order mark without counting it (see `bomShift`).
            yaml_parser_set_input_string(parser, base, buffer.count)
            while true {
                guard yaml_parser_parse(parser, event) != 0 else {
                    if cursor == nil, Self.hasOtherLineBreaks(bytes) {
                        lineBreaksDiffer = true
                    }
                    reportParserError(parser.pointee)
                    return
                }
                let isEnd = event.pointee.type == YAML_STREAM_END_EVENT
                if isEnd, cursor == nil {
                    // libyaml ends a last line that has no line break with one of its own.
                    let lines = bytes.last == 0x0A ? file.lineCount - 1 : file.lineCount
                    if event.pointee.end_mark.line != lines { lineBreaksDiffer = true }
                }
                do {
                    try handle(event.pointee)
                } catch {
                    yaml_event_delete(event)
                    if cursor == nil, Self.hasOtherLineBreaks(bytes) {
                        lineBreaksDiffer = true
                    }
                    return
                }
                yaml_event_delete(event)
                if isEnd { return }
            }
        }
        frames.removeAll()
        children.removeAll()
    }

    // MARK: Events

    @inline(__always)
    private func position(_ mark: yaml_mark_t) -> SourcePosition {
        if let cursor { return cursor.position(ofCharacter: mark.index) }
        return SourcePosition(line: mark.line + 1, column: mark.column + (mark.line == 0 ? bomShift : 1))
    }

    /// Whether the text holds a line break that libyaml counts and SourceFile does not: a CR not
    /// followed by LF, NEL (U+0085), LS (U+2028) or PS (U+2029).
    static func hasOtherLineBreaks(_ bytes: [UInt8]) -> Bool {
        // Over the raw buffer with a while loop: a range loop over the array is ~10x slower in
        // debug builds, which matters for files of tens of megabytes.
        bytes.withUnsafeBufferPointer { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                let b = bytes[i]
                if b == 0x0D, i + 1 == n || bytes[i + 1] != 0x0A { return true }
                if b == 0x85, i >= 1, bytes[i - 1] == 0xC2 { return true }
                if b == 0xA8 || b == 0xA9, i >= 2, bytes[i - 1] == 0x80, bytes[i - 2] == 0xE2 { return true }
                i &+= 1
            }
            return false
        }
    }

    @inline(__always)
    private func range(_ start: SourcePosition, _ end: SourcePosition) -> SourceRange {
        SourceRange(file: file.id, start: start, end: end)
    }

    private func point(_ p: SourcePosition) -> SourceRange { range(p, p) }

    /// Whether the next node completed goes into a mapping as a key.
    @inline(__always)
    private var atKeyPosition: Bool {
        let top = frames.count - 1
        return top >= 0 && frames[top].isMapping && (children.count - frames[top].childStart) & 1 == 0
    }

    private mutating func handle(_ event: yaml_event_t) throws {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let start = position(event.start_mark)
            var end = position(event.end_mark)
            let length = data.length
            if length > limits.maxScalarBytes {
                try stop(
                    .inputLimit,
                    "scalar is \(length) bytes, over the limit of \(limits.maxScalarBytes) bytes",
                    at: range(start, end))
            }
            try countNodes(1, at: start, end)
            var text = ""
            var keyHash: UInt64 = 0
            var isMergeKey = false
            let isKey = atKeyPosition
            if let value = data.value, length > 0 {
                let bytes = UnsafeBufferPointer(start: value, count: length)
                text = String(decoding: bytes, as: UTF8.self)
                if isKey {
                    keyHash = Self.hash(bytes)
                    isMergeKey = length == 2 && value[0] == 0x3C && value[1] == 0x3C
                }
            } else if isKey {
                keyHash = Self.hash(UnsafeBufferPointer(start: nil, count: 0))
            }
            let style: ScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            if style == .literal || style == .folded {
                end = trimmedBlockScalarEnd(end)
            }
            let tag = data.tag.map { String(cString: $0) }
            if isMergeKey {
                isMergeKey = tag.map { $0 == mergeTag } ?? (style == .plain)
            }
            let node = YAMLNode(.scalar(YAMLScalar(text, style: style, tag: tag)), range: range(start, end), tag: tag)
            if let anchor = data.anchor {
                anchors[String(cString: anchor)] = AnchorEntry(node: node, count: 1, height: 0)
            }
            try attach(node, count: 1, height: 0, end: end, keyHash: keyHash, isMergeKey: isMergeKey)

        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try open(
                isMapping: false, isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE,
                tag: data.tag, anchor: data.anchor, event)

        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try open(
                isMapping: true, isFlow: data.style == YAML_FLOW_MAPPING_STYLE,
                tag: data.tag, anchor: data.anchor, event)

        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try close(event)

        case YAML_ALIAS_EVENT:
            let start = position(event.start_mark)
            let end = position(event.end_mark)
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            guard let entry = anchors[name] else {
                try stop(
                    .yamlSyntax, "unknown alias \(quoted(name))", at: range(start, end),
                    notes: [
                        Note("an alias `*name` must come after the anchor `&name` it refers to, in the same document")
                    ])
            }
            aliasExpansion += entry.count
            if aliasExpansion > limits.maxAliasExpansion {
                try stop(
                    .inputLimit,
                    "aliases copy \(aliasExpansion) nodes, over the limit of \(limits.maxAliasExpansion)",
                    at: range(start, end),
                    notes: [
                        Note(
                            "every use of an alias copies its anchored node; nested aliases can make a small file expand enormously (a billion laughs attack)"
                        )
                    ])
            }
            try countNodes(entry.count, at: start, end)
            if frames.count + entry.height > limits.maxDepth {
                try stop(
                    .inputLimit,
                    "alias \(quoted(name)) makes the nesting deeper than the limit of \(limits.maxDepth) levels",
                    at: range(start, end))
            }
            var keyHash: UInt64 = 0
            if atKeyPosition, case .scalar(let s) = entry.node.kind {
                var text = s.text
                keyHash = text.withUTF8 { Self.hash($0) }
            }
            try attach(
                entry.node, count: entry.count, height: entry.height, end: end, keyHash: keyHash, isMergeKey: false)

        case YAML_DOCUMENT_START_EVENT:
            documentCount += 1
            if documentCount > limits.maxDocumentsPerFile {
                let at = position(event.start_mark)
                try stop(
                    .inputLimit,
                    "the file has more than \(limits.maxDocumentsPerFile) documents, the limit per file",
                    at: range(at, at))
            }
            frames.removeAll(keepingCapacity: true)
            children.removeAll()
            anchors.removeAll()
            root = nil
            documentNodes = 0
            documentStart = position(event.start_mark)

        case YAML_DOCUMENT_END_EVENT:
            let end: SourcePosition
            if event.data.document_end.implicit == 0 {
                end = position(event.end_mark)
            } else {
                end = max(root?.range.end ?? documentStart, documentStart)
            }
            var docRoot = root
            // `---` with nothing after it: libyaml reports an empty plain scalar.
            if let r = docRoot, r.tag == nil, case .scalar(let s) = r.kind, s.style == .plain, s.text.isEmpty {
                docRoot = nil
            }
            documents.append(
                YAMLDocument(
                    root: docRoot, file: file.id, range: range(documentStart, end),
                    index: documents.count))
            root = nil
            anchors.removeAll()

        default:
            break
        }
    }

    /// libyaml ends a block scalar (`|`, `>`) at the start of the line after it, past any blank
    /// lines; end it after its last non-blank character instead.
    private func trimmedBlockScalarEnd(_ end: SourcePosition) -> SourcePosition {
        guard end.column == 1 else { return end }
        let bytes = file.bytes
        var k = file.byteOffset(of: end)
        while k > 0, bytes[k - 1] == 0x0A || bytes[k - 1] == 0x0D || bytes[k - 1] == 0x20 || bytes[k - 1] == 0x09 {
            k -= 1
        }
        return file.position(ofByte: k)
    }

    /// FNV-1a over a key's bytes; never 0, which marks "not a scalar key".
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h | 1
    }

    private mutating func countNodes(_ n: Int, at start: SourcePosition, _ end: SourcePosition) throws {
        documentNodes += n
        fileNodes += n
        if documentNodes > limits.maxNodesPerDocument {
            try stop(
                .inputLimit,
                "document has \(documentNodes) nodes, over the limit of \(limits.maxNodesPerDocument)",
                at: range(start, end))
        }
        if fileNodes > limits.maxNodesPerFile {
            try stop(
                .inputLimit, "the file has \(fileNodes) nodes, over the limit of \(limits.maxNodesPerFile) per file",
                at: range(start, end))
        }
    }

    private mutating func open(
        isMapping: Bool, isFlow: Bool, tag: UnsafeMutablePointer<yaml_char_t>?,
        anchor: UnsafeMutablePointer<yaml_char_t>?, _ event: yaml_event_t
    ) throws {
        let start = position(event.start_mark)
        if frames.count >= limits.maxDepth {
            try stop(
                .inputLimit, "nesting is deeper than the limit of \(limits.maxDepth) levels",
                at: range(start, position(event.end_mark)))
        }
        try countNodes(1, at: start, position(event.end_mark))
        frames.append(
            Frame(
                isMapping: isMapping, isFlow: isFlow, start: start, end: start, childStart: children.count,
                tag: tag.map { String(cString: $0) }, anchor: anchor.map { String(cString: $0) }))
    }

    private mutating func close(_ event: yaml_event_t) throws {
        guard let frame = frames.popLast() else { return }
        // A flow collection ends after its closing bracket; libyaml ends a block collection where
        // the next token starts (often lines later), so use the end of its last child instead.
        let end = frame.isFlow ? position(event.end_mark) : frame.end
        let node: YAMLNode
        if frame.isMapping {
            if (children.count - frame.childStart) & 1 == 1 {
                // Cannot happen with libyaml's events; give the dangling key an empty value.
                let key = children[children.count - 1]
                children.push(YAMLNode(.scalar(YAMLScalar("")), range: point(key.range.end)), keyHash: 0)
            }
            reportDuplicateKeys(from: frame.childStart)
            let pairs = children.takePairs(from: frame.childStart)
            node = YAMLNode(
                .mapping(frame.mergeGroups.isEmpty ? pairs : merged(pairs, frame.mergeGroups)),
                range: range(frame.start, end), tag: frame.tag)
        } else {
            node = YAMLNode(
                .sequence(children.takeSequence(from: frame.childStart)),
                range: range(frame.start, end), tag: frame.tag)
        }
        if let anchor = frame.anchor {
            anchors[anchor] = AnchorEntry(node: node, count: frame.count, height: frame.height)
        }
        try attach(node, count: frame.count, height: frame.height, end: end, keyHash: 0, isMergeKey: false)
    }

    /// Adds a completed node to its parent (or makes it the document's root).
    private mutating func attach(
        _ node: consuming YAMLNode, count: Int, height: Int, end: SourcePosition, keyHash: UInt64, isMergeKey: Bool
    ) throws {
        let top = frames.count - 1
        guard top >= 0 else {
            if root == nil { root = node }
            return
        }
        frames[top].count += count
        if height + 1 > frames[top].height { frames[top].height = height + 1 }
        if end > frames[top].end { frames[top].end = end }
        guard frames[top].isMapping else {
            children.push(node, keyHash: 0)
            return
        }
        if (children.count - frames[top].childStart) & 1 == 0 {
            frames[top].pendingKeyIsMerge = isMergeKey
            children.push(node, keyHash: keyHash)
        } else if frames[top].pendingKeyIsMerge {
            frames[top].pendingKeyIsMerge = false
            let key = children.popLast()
            try addMergeSource(node, key: key, end: end, frameIndex: top)
        } else {
            children.push(node, keyHash: 0)
        }
    }

    // MARK: Merge keys

    private mutating func addMergeSource(_ value: YAMLNode, key: YAMLNode, end: SourcePosition, frameIndex: Int) throws
    {
        switch value.kind {
        case .mapping:
            frames[frameIndex].mergeGroups.append([value])
        case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }):
            frames[frameIndex].mergeGroups.append(items)
        default:
            try stop(
                .yamlSyntax, "the merge key `<<` needs a mapping or a list of mappings, found \(value.shapeName)",
                at: range(key.range.start, end),
                notes: [Note("write `<<: *anchor` or `<<: [*first, *second]` with anchors on mappings")])
        }
    }

    /// The pairs of a mapping with merge keys, as Kubernetes' YAML decoder sees them: merged keys
    /// first, explicit keys override them; among merge sources, a later `<<` overrides an earlier
    /// one, and inside one `<<: [...]` list the earlier mapping wins. Overridden merged pairs are
    /// dropped, so they neither show up twice nor warn as duplicates.
    private func merged(_ explicit: [YAMLPair], _ groups: [[YAMLNode]]) -> [YAMLPair] {
        var seen = Set<String>()
        for pair in explicit {
            if let t = pair.key.text { seen.insert(t) }
        }
        var result: [YAMLPair] = []
        for group in groups.reversed() {
            for source in group {
                for pair in source.mapping ?? [] {
                    if let t = pair.key.text {
                        if seen.insert(t).inserted { result.append(pair) }
                    } else {
                        result.append(pair)
                    }
                }
            }
        }
        result.append(contentsOf: explicit)
        return result
    }

    // MARK: Duplicate keys

    /// Reports repeated scalar keys among the key/value nodes on the child stack from `start` on.
    private mutating func reportDuplicateKeys(from start: Int) {
        let n = (children.count - start) / 2
        guard n > 1 else { return }
        if n <= 16 {
            for j in 1..<n {
                let hj = children.keyHash(start + 2 * j)
                guard hj != 0 else { continue }
                for i in 0..<j where children.keyHash(start + 2 * i) == hj {
                    let first = children[start + 2 * i]
                    let later = children[start + 2 * j]
                    if let t = later.text, first.text == t {
                        reportDuplicate(t, later: later, first: first)
                        break
                    }
                }
            }
        } else {
            var firstIndex: [String: Int] = [:]
            firstIndex.reserveCapacity(n)
            for j in 0..<n where children.keyHash(start + 2 * j) != 0 {
                let key = children[start + 2 * j]
                guard let t = key.text else { continue }
                if let i = firstIndex[t] {
                    reportDuplicate(t, later: key, first: children[start + 2 * i])
                } else {
                    firstIndex[t] = j
                }
            }
        }
    }

    private mutating func reportDuplicate(_ key: String, later: YAMLNode, first: YAMLNode) {
        diagnostics.append(
            Diagnostic(
                .duplicateKey, "duplicate key \(quoted(key)); the earlier value is ignored", at: later.range,
                notes: [
                    Note("first defined here", at: first.range),
                    Note("like kubectl, Fjord keeps the last value"),
                ]))
    }

    // MARK: Errors

    private mutating func fail(_ code: DiagnosticCode, _ message: String, at range: SourceRange, notes: [Note] = []) {
        diagnostics.append(Diagnostic(code, message, at: range, notes: notes))
        failed = true
    }

    private mutating func stop(_ code: DiagnosticCode, _ message: String, at range: SourceRange, notes: [Note] = [])
        throws -> Never
    {
        fail(code, message, at: range, notes: notes)
        throw StopLoading()
    }

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = Self.clean(parser.problem.map { String(cString: $0) } ?? "")
        switch parser.error {
        case YAML_READER_ERROR:
            let where_ = file.position(ofByte: parser.problem_offset)
            var message = problem.isEmpty ? "the input cannot be read as UTF-8" : problem
            let value = Int(parser.problem_value)
            if value >= 0 {
                if problem.contains("octet") {
                    message += " (byte 0x" + Self.hex(value, digits: 2) + ")"
                } else {
                    message += " (U+" + Self.hex(value, digits: 4) + ")"
                }
            }
            var notes: [Note] = []
            let b = file.bytes
            if b.count >= 2, b[0] == 0 || b[1] == 0 {
                notes.append(Note("the file looks like UTF-16 or UTF-32 text; only UTF-8 is supported"))
            }
            fail(.yamlSyntax, message, at: point(where_), notes: notes)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
            let at = position(parser.problem_mark)
            var message = problem.isEmpty ? "malformed YAML" : problem
            var notes: [Note] = []
            if let c = parser.context {
                let context = Self.clean(String(cString: c))
                if !context.isEmpty {
                    message += " " + context
                    let contextAt = position(parser.context_mark)
                    if contextAt != at {
                        notes.append(Note(Self.contextNote(context), at: point(contextAt)))
                    }
                }
            }
            fail(.yamlSyntax, message, at: point(at), notes: notes)
        case YAML_MEMORY_ERROR:
            fail(.yamlSyntax, "out of memory while parsing", at: point(position(parser.mark)))
        default:
            fail(.yamlSyntax, problem.isEmpty ? "malformed YAML" : problem, at: point(position(parser.mark)))
        }
    }

    /// libyaml's texts are already lowercase; make sure of it and drop any trailing period.
    private static func clean(_ s: String) -> String {
        var t = s
        while t.hasSuffix(".") { t.removeLast() }
        guard let first = t.first, first.isUppercase else { return t }
        return first.lowercased() + t.dropFirst()
    }

    /// `while parsing a block mapping` -> `the block mapping starts here`.
    private static func contextNote(_ context: String) -> String {
        var rest = Substring(context)
        for prefix in ["while scanning ", "while parsing "] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
        }
        for article in ["a ", "an "] where rest.hasPrefix(article) {
            rest = rest.dropFirst(article.count)
        }
        return "the \(rest) starts here"
    }

    private static func hex(_ v: Int, digits: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
