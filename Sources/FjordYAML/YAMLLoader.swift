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
        var builder = TreeBuilder(file: file, limits: limits)
        builder.run()
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

/// A collection being built: the top of the builder's explicit stack.
private struct Frame {
    var isMapping: Bool
    var isFlow: Bool
    var start: SourcePosition
    /// Where the last child (or, for a flow collection, the closing bracket) ends.
    var end: SourcePosition
    var tag: String?
    var anchor: String?
    var items: [YAMLNode] = []
    var pairs: [YAMLPair] = []
    /// A mapping's key waiting for its value.
    var pendingKey: YAMLNode?
    var pendingKeyIsMerge = false
    /// Merge sources (`<<`), one group per merge key, each group in precedence order.
    var mergeGroups: [[YAMLNode]] = []
    /// Nodes in this subtree so far, the collection itself included (alias copies counted in full).
    var count = 1
    /// Nesting height of the subtree: 1 plus the tallest child collection.
    var height = 1
}

/// An anchored node with what it costs to copy it.
private struct AnchorEntry {
    var node: YAMLNode
    var count: Int
    var height: Int
}

/// Thrown inside the builder to stop loading the file; the diagnostic is already recorded.
private struct StopLoading: Error {}

private struct TreeBuilder {
    let file: SourceFile
    let limits: YAMLLimits
    var diagnostics: [Diagnostic] = []
    var documents: [YAMLDocument] = []
    var failed = false

    private var stack: [Frame] = []
    private var anchors: [String: AnchorEntry] = [:]
    private var root: YAMLNode?
    private var rootSeen = false
    private var documentStart = SourcePosition(line: 1, column: 1)
    private var documentNodes = 0
    /// Nodes added by alias copies in the whole file (a per-file budget, so that many small
    /// documents cannot add up to an alias bomb either).
    private var aliasExpansion = 0

    /// 1, or 2 when the file starts with a UTF-8 byte order mark: libyaml skips the mark without
    /// counting it, while SourceFile counts it as the first column of line 1.
    private let bomShift: Int

    init(file: SourceFile, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
        let b = file.bytes
        bomShift = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 2 : 1
        stack.reserveCapacity(32)
    }

    // MARK: Driver

    mutating func run() {
        let bytes = file.bytes
        if bytes.count > limits.maxFileBytes {
            fail(.inputLimit, "file is \(bytes.count) bytes, over the limit of \(limits.maxFileBytes) bytes",
                 at: point(SourcePosition(line: 1, column: 1)))
            return
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            fail(.yamlSyntax, "file is encoded as UTF-16; only UTF-8 is supported",
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
            fail(.yamlSyntax, "out of memory while starting the YAML parser", at: point(SourcePosition(line: 1, column: 1)))
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
                    reportParserError(parser.pointee)
                    return
                }
                let isEnd = event.pointee.type == YAML_STREAM_END_EVENT
                do {
                    try handle(event.pointee)
                } catch {
                    yaml_event_delete(event)
                    return
                }
                yaml_event_delete(event)
                if isEnd { return }
            }
        }
    }

    // MARK: Events

    @inline(__always)
    private func position(_ mark: yaml_mark_t) -> SourcePosition {
        SourcePosition(line: mark.line + 1, column: mark.column + (mark.line == 0 ? bomShift : 1))
    }

    @inline(__always)
    private func range(_ start: SourcePosition, _ end: SourcePosition) -> SourceRange {
        SourceRange(file: file.id, start: start, end: end)
    }

    private func point(_ p: SourcePosition) -> SourceRange { range(p, p) }

    private mutating func handle(_ event: yaml_event_t) throws {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let start = position(event.start_mark)
            let end = position(event.end_mark)
            if data.length > limits.maxScalarBytes {
                try stop(.inputLimit,
                         "scalar is \(data.length) bytes, over the limit of \(limits.maxScalarBytes) bytes",
                         at: range(start, end))
            }
            try countNodes(1, at: start, end)
            let text: String
            if let value = data.value, data.length > 0 {
                text = String(decoding: UnsafeBufferPointer(start: value, count: data.length), as: UTF8.self)
            } else {
                text = ""
            }
            let style: ScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let tag = data.tag.map { String(cString: $0) }
            let node = YAMLNode(.scalar(YAMLScalar(text, style: style, tag: tag)), range: range(start, end), tag: tag)
            if let anchor = data.anchor {
                anchors[String(cString: anchor)] = AnchorEntry(node: node, count: 1, height: 0)
            }
            try attach(node, count: 1, height: 0, end: end)

        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try open(isMapping: false, isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE,
                     tag: data.tag, anchor: data.anchor, event)

        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try open(isMapping: true, isFlow: data.style == YAML_FLOW_MAPPING_STYLE,
                     tag: data.tag, anchor: data.anchor, event)

        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try close(event)

        case YAML_ALIAS_EVENT:
            let start = position(event.start_mark)
            let end = position(event.end_mark)
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            guard let entry = anchors[name] else {
                try stop(.yamlSyntax, "unknown alias \(quoted(name))", at: range(start, end),
                         notes: [Note("an alias `*name` must come after the anchor `&name` it refers to, in the same document")])
            }
            aliasExpansion += entry.count
            if aliasExpansion > limits.maxAliasExpansion {
                try stop(.inputLimit,
                         "aliases copy \(aliasExpansion) nodes, over the limit of \(limits.maxAliasExpansion)",
                         at: range(start, end),
                         notes: [Note("every use of an alias copies its anchored node; nested aliases can make a small file expand enormously (a billion laughs attack)")])
            }
            try countNodes(entry.count, at: start, end)
            if stack.count + entry.height > limits.maxDepth {
                try stop(.inputLimit,
                         "alias \(quoted(name)) makes the nesting deeper than the limit of \(limits.maxDepth) levels",
                         at: range(start, end))
            }
            try attach(entry.node, count: entry.count, height: entry.height, end: end)

        case YAML_DOCUMENT_START_EVENT:
            stack.removeAll(keepingCapacity: true)
            anchors.removeAll()
            root = nil
            rootSeen = false
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
            documents.append(YAMLDocument(root: docRoot, file: file.id, range: range(documentStart, end),
                                          index: documents.count))
            root = nil
            anchors.removeAll()

        default:
            break
        }
    }

    private mutating func countNodes(_ n: Int, at start: SourcePosition, _ end: SourcePosition) throws {
        documentNodes += n
        if documentNodes > limits.maxNodesPerDocument {
            try stop(.inputLimit,
                     "document has \(documentNodes) nodes, over the limit of \(limits.maxNodesPerDocument)",
                     at: range(start, end))
        }
    }

    private mutating func open(
        isMapping: Bool, isFlow: Bool, tag: UnsafeMutablePointer<yaml_char_t>?,
        anchor: UnsafeMutablePointer<yaml_char_t>?, _ event: yaml_event_t
    ) throws {
        let start = position(event.start_mark)
        if stack.count >= limits.maxDepth {
            try stop(.inputLimit, "nesting is deeper than the limit of \(limits.maxDepth) levels",
                     at: range(start, position(event.end_mark)))
        }
        try countNodes(1, at: start, position(event.end_mark))
        stack.append(Frame(
            isMapping: isMapping, isFlow: isFlow, start: start, end: start,
            tag: tag.map { String(cString: $0) }, anchor: anchor.map { String(cString: $0) }))
    }

    private mutating func close(_ event: yaml_event_t) throws {
        guard var frame = stack.popLast() else { return }
        // A flow collection ends after its closing bracket; libyaml ends a block collection where
        // the next token starts (often lines later), so use the end of its last child instead.
        let end = frame.isFlow ? position(event.end_mark) : frame.end
        let node: YAMLNode
        if frame.isMapping {
            if let key = frame.pendingKey {
                // Cannot happen with libyaml's events; keep the key with an empty value.
                frame.pairs.append(YAMLPair(key: key, value: YAMLNode(.scalar(YAMLScalar("")), range: point(key.range.end))))
            }
            reportDuplicateKeys(frame.pairs)
            let pairs = frame.mergeGroups.isEmpty ? frame.pairs : merged(frame.pairs, frame.mergeGroups)
            node = YAMLNode(.mapping(pairs), range: range(frame.start, end), tag: frame.tag)
        } else {
            node = YAMLNode(.sequence(frame.items), range: range(frame.start, end), tag: frame.tag)
        }
        if let anchor = frame.anchor {
            anchors[anchor] = AnchorEntry(node: node, count: frame.count, height: frame.height)
        }
        try attach(node, count: frame.count, height: frame.height, end: end)
    }

    /// Adds a completed node to its parent (or makes it the document's root).
    private mutating func attach(_ node: YAMLNode, count: Int, height: Int, end: SourcePosition) throws {
        let top = stack.count - 1
        guard top >= 0 else {
            if !rootSeen {
                root = node
                rootSeen = true
            }
            return
        }
        stack[top].count += count
        if height + 1 > stack[top].height { stack[top].height = height + 1 }
        if end > stack[top].end { stack[top].end = end }
        if !stack[top].isMapping {
            stack[top].items.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = node
            stack[top].pendingKeyIsMerge = Self.isMergeKey(node)
            return
        }
        stack[top].pendingKey = nil
        if stack[top].pendingKeyIsMerge {
            stack[top].pendingKeyIsMerge = false
            try addMergeSource(node, key: key, end: end, frameIndex: top)
        } else {
            stack[top].pairs.append(YAMLPair(key: key, value: node))
        }
    }

    // MARK: Merge keys

    private static func isMergeKey(_ node: YAMLNode) -> Bool {
        guard case .scalar(let s) = node.kind, s.text.utf8.count == 2, s.text == "<<" else { return false }
        if let tag = s.tag { return tag == "tag:yaml.org,2002:merge" }
        return s.style == .plain
    }

    private mutating func addMergeSource(_ value: YAMLNode, key: YAMLNode, end: SourcePosition, frameIndex: Int) throws {
        switch value.kind {
        case .mapping:
            stack[frameIndex].mergeGroups.append([value])
        case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }):
            stack[frameIndex].mergeGroups.append(items)
        default:
            try stop(.yamlSyntax, "the merge key `<<` needs a mapping or a list of mappings, found \(value.shapeName)",
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

    private mutating func reportDuplicateKeys(_ pairs: [YAMLPair]) {
        let n = pairs.count
        guard n > 1 else { return }
        if n <= 16 {
            var texts: [String?] = []
            texts.reserveCapacity(n)
            for p in pairs { texts.append(p.key.text) }
            for j in 1..<n {
                guard let t = texts[j] else { continue }
                for i in 0..<j where texts[i] == t {
                    reportDuplicate(t, later: pairs[j].key, first: pairs[i].key)
                    break
                }
            }
        } else {
            var first: [String: Int] = [:]
            first.reserveCapacity(n)
            for j in 0..<n {
                guard let t = pairs[j].key.text else { continue }
                if let i = first[t] {
                    reportDuplicate(t, later: pairs[j].key, first: pairs[i].key)
                } else {
                    first[t] = j
                }
            }
        }
    }

    private mutating func reportDuplicate(_ key: String, later: YAMLNode, first: YAMLNode) {
        diagnostics.append(Diagnostic(
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

    private mutating func stop(_ code: DiagnosticCode, _ message: String, at range: SourceRange, notes: [Note] = []) throws -> Never {
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
